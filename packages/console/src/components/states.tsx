import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="notice" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** An error as the API gave it: its code and message, so an operator can act on it. */
export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  const text = error instanceof ApiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return (
    <div className="notice notice-error" role="alert">
      <p>{text}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="notice notice-empty">{children}</p>;
}

/** The three states of a query, then its content. */
export function QueryView<T>(props: { query: { isPending: boolean; error: unknown; data: T | undefined; refetch: () => unknown }; what: string; children: (data: T) => ReactNode }) {
  const { query, what, children } = props;
  if (query.isPending) return <Loading what={what} />;
  if (query.error) return <ErrorNotice error={query.error} retry={() => void query.refetch()} />;
  return <>{children(query.data as T)}</>;
}

/** A wide table that scrolls sideways on a phone, reachable by keyboard. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
