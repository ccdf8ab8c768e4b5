import { isAllowanceOccurrence } from '../../allowance/allowance-occurrences';
import type { AllowanceSchedule, AllowanceScheduleRecord } from '../../allowance/allowance-schedule';
import type {
  AllowanceCreditRequest,
  AllowanceCreditResult,
  AllowanceLedger,
  AllowanceRunFailure,
  AllowanceCreditQuery,
  AllowanceScheduleChanges,
  AllowanceScheduleQuery,
  AllowanceScheduleRepository,
  ClaimDueRunsQuery,
  NewAllowanceSchedule,
} from '../../allowance/allowance.ports';
import { Money } from '../../money/money';
import { DomainError } from '../../kernel/domain-error';
import { InMemoryAllowanceQueue } from './in-memory-allowance-queue';

export interface AllowanceCreditRecord {
  scheduleId: string;
  runAt: Date;
  amount: string;
  transactionId: string;
  creditedAt: Date;
}

export interface AllowanceTransactionRecord {
  id: string;
  fromOwnerId: string;
  toOwnerId: string;
  amount: string;
}

/**
 * The reference implementation of the allowance ports: what a database adapter must do, in memory.
 * Every ledger call computes its whole effect first and applies it in one synchronous step, so a
 * refused call leaves nothing behind (the "one transaction" of docs/architecture.md (Allowance)).
 */
export class InMemoryAllowance {
  readonly schedules: AllowanceScheduleRepository;
  readonly ledger: AllowanceLedger;
  readonly queue = new InMemoryAllowanceQueue();

  private readonly rows = new Map<string, AllowanceSchedule>();
  /** Deleted schedules, kept with their credits for the money audit; no live read sees them. */
  private readonly deletedRows = new Map<string, AllowanceScheduleRecord>();
  private readonly balances = new Map<string, Money>();
  private readonly guardianOfJunior = new Map<string, string>();
  private readonly creditRows: AllowanceCreditRecord[] = [];
  private readonly transactionRows: AllowanceTransactionRecord[] = [];
  private sequence = 0;

  constructor() {
    this.schedules = {
      create: async (schedule) => this.create(schedule),
      findForGuardian: async (guardianId, id) => this.owned(guardianId, id),
      listForGuardian: async (guardianId) =>
        [...this.rows.values()].filter((s) => s.guardianId === guardianId).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareIds(a.id, b.id)),
      update: async (guardianId, id, changes) => this.update(guardianId, id, changes),
      delete: async (guardianId, id) => this.delete(guardianId, id),
      findById: async (id) => this.rows.get(id) ?? null,
      claimDueRuns: async (query) => this.claim(query),
      markPublished: async (leaseUntil, published) => this.markPublished(leaseUntil, published),
      releaseLeases: async (leaseUntil, ids) => this.releaseLeases(leaseUntil, ids),
      findSchedules: async (query) => this.findSchedules(query),
      findRecordById: async (id) => this.record(id),
      listCredits: async (query) => this.listCredits(query),
    };
    this.ledger = {
      creditRun: async (request) => this.creditRun(request),
      recordRunFailure: async (failure) => this.recordRunFailure(failure),
    };
  }

  givenGuardian(input: { balance: string }): string {
    const id = this.nextId('grd');
    this.balances.set(id, Money.parse(input.balance));
    return id;
  }

  givenJunior(input: { guardianId: string; balance?: string }): string {
    if (!this.balances.has(input.guardianId)) throw new Error(`unknown guardian ${input.guardianId}`);
    const id = this.nextId('jnr');
    this.balances.set(id, Money.parse(input.balance ?? '0'));
    this.guardianOfJunior.set(id, input.guardianId);
    return id;
  }

  balanceOf(ownerId: string): string {
    const balance = this.balances.get(ownerId);
    if (balance === undefined) throw new Error(`no account for ${ownerId}`);
    return balance.toString();
  }

  credits = (): AllowanceCreditRecord[] => this.creditRows.map((row) => ({ ...row }));
  transactions = (): AllowanceTransactionRecord[] => this.transactionRows.map((row) => ({ ...row }));
  schedule = (id: string): AllowanceSchedule | null => this.rows.get(id) ?? null;

  /** The ownership check first: another guardian's junior is JUNIOR.NOT_FOUND even when the pair has a schedule. */
  private create(input: NewAllowanceSchedule): AllowanceSchedule {
    if (this.guardianOfJunior.get(input.juniorId) !== input.guardianId) {
      throw new DomainError('JUNIOR.NOT_FOUND', 'junior not found', { juniorId: input.juniorId });
    }
    if ([...this.rows.values()].some((s) => s.guardianId === input.guardianId && s.juniorId === input.juniorId)) {
      throw new DomainError('ALLOWANCE.ALREADY_EXISTS', 'this junior already has an allowance schedule', { juniorId: input.juniorId });
    }
    const schedule: AllowanceSchedule = {
      ...input,
      amount: Money.parsePositive(input.amount).toString(),
      id: this.nextId('sch'),
      lastRunAt: null,
      leaseUntil: null,
      leasedThrough: null,
      lastFailedRunAt: null,
      lastFailureReason: null,
      updatedAt: input.createdAt,
    };
    this.rows.set(schedule.id, schedule);
    return schedule;
  }

  private owned(guardianId: string, id: string): AllowanceSchedule | null {
    const schedule = this.rows.get(id);
    return schedule?.guardianId === guardianId ? schedule : null;
  }

  private delete(guardianId: string, id: string): boolean {
    const schedule = this.owned(guardianId, id);
    if (schedule === null) return false;
    this.rows.delete(id);
    this.deletedRows.set(id, { ...schedule, leaseUntil: null, deletedAt: new Date() });
    return true;
  }

  private record(id: string): AllowanceScheduleRecord | null {
    const live = this.rows.get(id);
    return live !== undefined ? { ...live, deletedAt: null } : (this.deletedRows.get(id) ?? null);
  }

  private findSchedules({ guardianId, juniorId, after, limit }: AllowanceScheduleQuery): AllowanceScheduleRecord[] {
    const byCreation = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) => a.createdAt.getTime() - b.createdAt.getTime() || compareIds(a.id, b.id);
    return [...this.rows.keys(), ...this.deletedRows.keys()]
      .map((id) => this.record(id)!)
      .filter((s) => (guardianId === undefined || s.guardianId === guardianId) && (juniorId === undefined || s.juniorId === juniorId))
      .filter((s) => after === null || byCreation(s, after) > 0)
      .sort(byCreation)
      .slice(0, limit);
  }

  private listCredits({ scheduleId, beforeRunAt, limit }: AllowanceCreditQuery): AllowanceCreditRecord[] {
    return this.creditRows
      .filter((c) => c.scheduleId === scheduleId && (beforeRunAt === null || c.runAt.getTime() < beforeRunAt.getTime()))
      .sort((a, b) => b.runAt.getTime() - a.runAt.getTime())
      .slice(0, limit)
      .map((c) => ({ ...c }));
  }

  private update(guardianId: string, id: string, changes: AllowanceScheduleChanges): AllowanceSchedule | null {
    const current = this.owned(guardianId, id);
    if (current === null) return null;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const updated: AllowanceSchedule = { ...current, ...defined };
    this.rows.set(id, updated);
    return updated;
  }

  private claim({ now, after, limit, leaseUntil }: ClaimDueRunsQuery): AllowanceSchedule[] {
    const page = [...this.rows.values()]
      .filter((s) => s.status === 'ON' && s.nextRunAt <= now && !leaseHolds(s, now))
      .filter((s) => after === null || compareCursor(s, after) > 0)
      .sort(compareCursor)
      .slice(0, limit);
    return page.map((s) => this.put({ ...s, leaseUntil, leasedThrough: s.nextRunAt }));
  }

  private markPublished(leaseUntil: Date, published: ReadonlyArray<{ id: string; publishedThrough: Date }>): void {
    for (const { id, publishedThrough } of published) {
      const schedule = this.rows.get(id);
      if (schedule?.leaseUntil?.getTime() === leaseUntil.getTime()) this.put({ ...schedule, leasedThrough: publishedThrough });
    }
  }

  private releaseLeases(leaseUntil: Date, ids: readonly string[]): number {
    let released = 0;
    for (const id of ids) {
      const schedule = this.rows.get(id);
      if (schedule?.leaseUntil?.getTime() !== leaseUntil.getTime()) continue;
      this.put({ ...schedule, leaseUntil: null, leasedThrough: null });
      released += 1;
    }
    return released;
  }

  private creditRun(request: AllowanceCreditRequest): AllowanceCreditResult {
    if (this.creditRows.some((c) => c.scheduleId === request.scheduleId && c.runAt.getTime() === request.runAt.getTime())) return { outcome: 'duplicate' };
    const schedule = this.rows.get(request.scheduleId);
    if (schedule === undefined || schedule.status !== 'ON') return { outcome: 'not_live' };
    const amount = Money.parsePositive(request.amount);
    const sameTerms =
      schedule.guardianId === request.guardianId &&
      schedule.juniorId === request.juniorId &&
      Money.parse(schedule.amount).equals(amount) &&
      schedule.frequency === request.frequency &&
      schedule.anchorAt.getTime() === request.anchorAt.getTime();
    if (!sameTerms) return { outcome: 'changed' };
    // Stricter than a database needs to be: a use case handing over a non-occurrence is a bug.
    if (!isAllowanceOccurrence(schedule.anchorAt, schedule.frequency, request.runAt)) throw new Error(`${request.runAt.toISOString()} is not an occurrence`);
    const guardianAfter = this.account(request.guardianId).minus(amount);
    if (guardianAfter.isNegative()) return { outcome: 'insufficient_funds' };
    const juniorAfter = this.account(request.juniorId).plus(amount);
    const transactionId = this.nextId('txn');
    // Everything is computed; apply it all at once.
    this.balances.set(request.guardianId, guardianAfter);
    this.balances.set(request.juniorId, juniorAfter);
    this.transactionRows.push({ id: transactionId, fromOwnerId: request.guardianId, toOwnerId: request.juniorId, amount: amount.toString() });
    this.creditRows.push({ scheduleId: request.scheduleId, runAt: request.runAt, amount: amount.toString(), transactionId, creditedAt: request.creditedAt });
    this.put({
      ...schedule,
      lastRunAt: latest(schedule.lastRunAt, request.runAt),
      nextRunAt: latest(schedule.nextRunAt, request.nextRunAt),
    });
    return { outcome: 'credited', transactionId };
  }

  private recordRunFailure(failure: AllowanceRunFailure): void {
    const schedule = this.rows.get(failure.scheduleId);
    if (schedule === undefined) return;
    this.put({
      ...schedule,
      lastFailedRunAt: failure.runAt,
      lastFailureReason: failure.reason,
      nextRunAt: latest(schedule.nextRunAt, failure.nextRunAt),
    });
  }

  private account(ownerId: string): Money {
    const balance = this.balances.get(ownerId);
    if (balance === undefined) throw new Error(`foreign key: no account for ${ownerId}`);
    return balance;
  }

  private put(schedule: AllowanceSchedule): AllowanceSchedule {
    this.rows.set(schedule.id, schedule);
    return schedule;
  }

  private nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${String(this.sequence).padStart(6, '0')}`;
  }
}

/** A live lease that still covers a run: unexpired, and not yet spent by next_run_at moving past what it published. */
const leaseHolds = (s: AllowanceSchedule, now: Date): boolean =>
  s.leaseUntil !== null && s.leaseUntil > now && !(s.leasedThrough !== null && s.nextRunAt > s.leasedThrough);

const latest = (a: Date | null, b: Date): Date => (a !== null && a.getTime() > b.getTime() ? a : b);

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareCursor(a: { nextRunAt: Date; id: string }, b: { nextRunAt: Date; id: string }): number {
  return a.nextRunAt.getTime() - b.nextRunAt.getTime() || compareIds(a.id, b.id);
}
