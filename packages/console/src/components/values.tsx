import { describeInstant, formatCRDateTime, formatDuration } from '../format/cr-time';
import { formatColones, isNegativeAmount } from '../format/money';

/** An amount from the API's decimal string, as `₡1,500.30`. */
export function Money({ amount }: { amount: string }) {
  return <span className={isNegativeAmount(amount) ? 'money negative' : 'money'}>{formatColones(amount)}</span>;
}

/** An instant in Costa Rica time, the zone named; the exact instant is the element's datetime. */
export function CrTime({ iso, empty = '—' }: { iso: string | null | undefined; empty?: string }) {
  if (iso === null || iso === undefined) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={iso} title={describeInstant(iso)} className="nowrap">
      {formatCRDateTime(iso)}
    </time>
  );
}

export function Duration({ ms }: { ms: number | null }) {
  return <span className="nowrap">{formatDuration(ms)}</span>;
}

/** A status word with its colour; the word itself carries the meaning. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
