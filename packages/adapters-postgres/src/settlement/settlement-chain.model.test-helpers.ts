import fc from 'fast-check';
import {
  addCRDays,
  chainBreaks,
  crLocalToInstant,
  hasStatementActivity,
  Money,
  settlementCutoff,
  statementBalance,
  crMonthOf,
  addMonths,
  type AccountIds,
} from '@banca/domain';
import {
  fixedClock,
  memoryLogger,
  settleStatements,
  reconcileMonth,
  type ReconciliationRepository,
  type StatementRepository,
} from '@banca/domain/ports';
import type { SettlementContractHarness, StatementRow } from '@banca/domain/testing';

/** The entities of every history, with fixed ids so both stores order them alike. */
const BANCA = '00000000-0000-4000-8000-000000000001';
const VENTANA = '00000000-0000-4000-8000-000000000002';
const ENTITIES = {
  banca: { bancaId: BANCA },
  ventana: { ventanaId: VENTANA, bancaId: BANCA },
  v1: { vendedorId: '00000000-0000-4000-8000-000000000003', ventanaId: VENTANA, bancaId: BANCA },
  v2: { vendedorId: '00000000-0000-4000-8000-000000000004', ventanaId: VENTANA, bancaId: BANCA },
} satisfies Record<string, AccountIds>;
type EntityKey = keyof typeof ENTITIES;

const FIRST_DAY = '2025-01-01';
const SETTLED_BY = 'model';

/**
 * One thing that happens to the banca. `sale`: the sales side writes today's statement with a
 * provisional remaining balance (`exact` from the latest statement, or any figure);
 * `movement` on today or a few days back; `reverse` the `pick`-th movement; `nextDay`; `settle`: a
 * settlement run (one batch, then carry-forward) at 21:00 CR; `overlap`: two batches at once, then
 * two carry-forwards at once.
 */
export type Step =
  | { kind: 'sale'; entity: EntityKey; tickets: number; sales: string; payouts: string; collected: string; provisional: string | 'exact' }
  | { kind: 'movement'; entity: EntityKey; type: 'payment' | 'collection'; amount: string; daysBack: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'nextDay'; days: number }
  | { kind: 'settle'; batchSize: number }
  | { kind: 'overlap'; batchSize: number }
  | { kind: 'carryForward' };

export interface History {
  ageDays: number;
  steps: Step[];
}

const amount = (max: number) => fc.integer({ min: 1, max }).map((cents) => Money.ofCents(BigInt(cents)).toString());
const entity = fc.constantFrom<EntityKey>('v1', 'v2', 'ventana', 'banca');

export const historyArbitrary: fc.Arbitrary<History> = fc.record({
  ageDays: fc.integer({ min: 0, max: 3 }),
  steps: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('sale' as const), entity, tickets: fc.integer({ min: 1, max: 3 }), sales: amount(100_000), payouts: fc.constantFrom('0.00', '5.00', '250.00'), collected: fc.constantFrom('0.00', '10.00'), provisional: fc.oneof(fc.constant('exact' as const), amount(50_000)) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('movement' as const), entity, type: fc.constantFrom('payment' as const, 'collection' as const), amount: amount(30_000), daysBack: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(20) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('nextDay' as const), days: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const), batchSize: fc.integer({ min: 1, max: 4 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('overlap' as const), batchSize: fc.integer({ min: 1, max: 4 }) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'carryForward' as const }) },
    ),
    { maxLength: 30 },
  ),
});

interface PlayedMovement {
  entity: EntityKey;
  date: string;
  type: 'payment' | 'collection';
  amount: string;
  reversed: boolean;
  referenceId: string;
  subjectId: string;
}

/**
 * Plays a history on the in-memory reference and on an adapter at once, and checks after every step
 * that both hold the same statements and that the chain rule holds; `finish` clears the backlog and
 * checks that nothing eligible is left and every movement is counted on its day, drift aside.
 */
export class SettlementHistoryPlayer {
  private day = 0;
  private readonly movements: PlayedMovement[] = [];
  /** `entity|date` days changed after they were settled: reconciliation's business, not settlement's. */
  private readonly drift = new Set<string>();

  constructor(
    private readonly reference: SettlementContractHarness,
    private readonly subject: SettlementContractHarness,
    /** The subject's repository on another connection, for overlapping runs. */
    private readonly concurrentSubject: StatementRepository,
    private readonly reconciliation: ReconciliationRepository,
    private readonly ageDays: number,
  ) {}

  static async start(reference: SettlementContractHarness, subject: SettlementContractHarness, concurrent: StatementRepository, reconciliation: ReconciliationRepository, ageDays: number) {
    for (const h of [reference, subject]) {
      await h.givenBanca({ id: BANCA });
      await h.givenVentana({ id: VENTANA, bancaId: BANCA });
      await h.givenVendedor({ id: ENTITIES.v1.vendedorId, ventanaId: VENTANA, bancaId: BANCA });
      await h.givenVendedor({ id: ENTITIES.v2.vendedorId, ventanaId: VENTANA, bancaId: BANCA });
      await h.configRepository.update({ settlementAgeDays: ageDays });
    }
    return new SettlementHistoryPlayer(reference, subject, concurrent, reconciliation, ageDays);
  }

  private get today(): string {
    return addCRDays(FIRST_DAY, this.day);
  }

  private get now(): Date {
    return crLocalToInstant(this.today, '21:00');
  }

  private get cutoff(): string {
    return settlementCutoff(this.now, this.ageDays);
  }

  async play(step: Step): Promise<void> {
    switch (step.kind) {
      case 'sale':
        return this.sale(step);
      case 'movement':
        return this.movement(step);
      case 'reverse':
        return this.reverse(step.pick);
      case 'nextDay':
        this.day += step.days;
        return;
      case 'settle':
        return this.settle(step.batchSize);
      case 'overlap':
        return this.overlap(step.batchSize);
      case 'carryForward':
        await this.reference.statementRepository.carryForward({ today: this.today });
        await this.subject.statementRepository.carryForward({ today: this.today });
        return;
    }
  }

  /**
   * Both stores agree, row for row, and every chain-bound statement follows from the one before; both
   * count the same eligible days, and a count with a limit is the whole count cut at that limit.
   */
  async check(after: string): Promise<void> {
    const [expected, actual] = await Promise.all([comparable(this.reference), comparable(this.subject)]);
    assertEqual(actual, expected, `the adapter differs from the reference after ${after}`);
    const eligible = await this.subject.statementRepository.countEligible(this.cutoff);
    assertEqual(eligible, await this.reference.statementRepository.countEligible(this.cutoff), `eligible days after ${after}`);
    for (const atMost of new Set([1, Math.max(1, eligible - 1), eligible + 1])) {
      assertEqual(await this.subject.statementRepository.countEligible(this.cutoff, atMost), Math.min(eligible, atMost), `eligible days up to ${atMost} after ${after}`);
    }
    for (const [key, rows] of byEntity(await this.subject.statements())) {
      const breaks = chainBreaks(rows);
      if (breaks.length > 0) throw new Error(`after ${after}, ${key}: statements off the chain ${JSON.stringify(breaks.map((b) => ({ ...b, date: rows[b.index]!.date })))}`);
    }
  }

  /** Clears the backlog at today's cutoff, then checks what settlement promises of a cleared backlog. */
  async finish(): Promise<void> {
    for (let run = 0; (await this.subject.statementRepository.countEligible(this.cutoff)) > 0; run++) {
      if (run > 50) throw new Error('the backlog does not clear');
      await this.settle(2000);
    }
    await this.check('clearing the backlog');
    const rows = await this.subject.statements();
    const frontier = new Map<string, string>();
    for (const row of rows) if (row.isSettled && row.date > (frontier.get(keyOf(row)) ?? '')) frontier.set(keyOf(row), row.date);
    const live = this.movements.filter((m) => !m.reversed);
    const pending = [
      ...rows.filter((r) => !r.isSettled && hasStatementActivity(r)).map((r) => ({ key: keyOf(r), date: r.date })),
      ...live.map((m) => ({ key: keyOf(ENTITIES[m.entity]), date: m.date })),
    ].filter(({ key, date }) => date < this.cutoff && date > (frontier.get(key) ?? ''));
    if (pending.length > 0) throw new Error(`days with activity before the cutoff left unsettled: ${JSON.stringify(pending)}`);
    for (const m of live) {
      const key = keyOf(ENTITIES[m.entity]);
      if (m.date >= this.cutoff || this.drift.has(`${key}|${m.date}`)) continue;
      if (!rows.some((r) => keyOf(r) === key && r.date === m.date && r.isSettled)) throw new Error(`the ${m.type} of ${m.amount} on ${m.date} for ${m.entity} is in no settled statement`);
    }
    for (const row of rows.filter((r) => r.isSettled && !this.drift.has(`${keyOf(r)}|${r.date}`))) {
      const own = live.filter((m) => keyOf(ENTITIES[m.entity]) === keyOf(row) && m.date === row.date);
      const paid = Money.sum(own.filter((m) => m.type === 'payment').map((m) => m.amount)).toString();
      const collected = Money.sum(own.filter((m) => m.type === 'collection').map((m) => m.amount)).toString();
      if (row.totalPaid !== paid || row.totalCollected !== collected) {
        throw new Error(`${keyOf(row)} on ${row.date} settled paid ${row.totalPaid} / collected ${row.totalCollected}, its movements are ${paid} / ${collected}`);
      }
    }
    await this.checkReconciliation();
  }

  /** Reconciliation finds no chain break, and no movement discrepancy on a day that is not drift. */
  private async checkReconciliation(): Promise<void> {
    for (let month = crMonthOf(crLocalToInstant(FIRST_DAY, '12:00')); month <= crMonthOf(this.now); month = addMonths(month, 1)) {
      const report = await reconcileMonth({ reconciliation: this.reconciliation }, { month, limit: 1000 });
      const unexpected = report.discrepancies.filter(
        (d) => d.kind === 'STATEMENT_CHAIN' || (d.kind === 'STATEMENT_MOVEMENTS' && !this.drift.has(`${d.dimension}:${d.entityId}|${d.date}`)),
      );
      if (unexpected.length > 0) throw new Error(`reconciliation of ${month} reports ${JSON.stringify(unexpected)}`);
    }
  }

  private async sale(step: Extract<Step, { kind: 'sale' }>): Promise<void> {
    const ids = ENTITIES[step.entity];
    const rows = (await this.reference.statements()).filter((r) => keyOf(r) === keyOf(ids)).sort(byDate);
    if (rows.some((r) => r.date === this.today)) return;
    const figures = { ticketCount: step.tickets, totalSales: step.sales, totalPayouts: step.payouts, totalCollected: step.collected };
    const balance = statementBalance({ ...figures, totalCommissions: '0.00' });
    const latest = rows.at(-1)?.remainingBalance ?? '0.00';
    const remainingBalance =
      step.provisional === 'exact' ? Money.parseUnbounded(latest).plus(Money.parseUnbounded(balance)).minus(Money.parseUnbounded(step.collected)).toString() : step.provisional;
    for (const h of [this.reference, this.subject]) await h.givenStatement({ ...ids, date: this.today, ...figures, remainingBalance });
  }

  private async movement(step: Extract<Step, { kind: 'movement' }>): Promise<void> {
    const ids = ENTITIES[step.entity];
    const date = addCRDays(this.today, -step.daysBack);
    await this.noteDrift(keyOf(ids), date);
    const input = { ...ids, date, type: step.type, amount: step.amount };
    const referenceId = await this.reference.givenMovement(input);
    const subjectId = await this.subject.givenMovement(input);
    this.movements.push({ entity: step.entity, date, type: step.type, amount: step.amount, reversed: false, referenceId, subjectId });
  }

  private async reverse(pick: number): Promise<void> {
    const live = this.movements.filter((m) => !m.reversed);
    const movement = live[pick % Math.max(1, live.length)];
    if (!movement) return;
    await this.noteDrift(keyOf(ENTITIES[movement.entity]), movement.date);
    await this.reference.reverseMovement(movement.referenceId);
    await this.subject.reverseMovement(movement.subjectId);
    movement.reversed = true;
  }

  /** A movement added or reversed on or before an entity's latest settled day is drift. */
  private async noteDrift(key: string, date: string): Promise<void> {
    const settled = (await this.reference.statements()).filter((r) => r.isSettled && keyOf(r) === key && r.date >= date);
    if (settled.length > 0) this.drift.add(`${key}|${date}`);
  }

  private async settle(batchSize: number): Promise<void> {
    const summaries = [];
    for (const h of [this.reference, this.subject]) {
      await h.configRepository.update({ batchSize });
      const deps = { config: h.configRepository, statements: h.statementRepository, clock: fixedClock(this.now), logger: memoryLogger() };
      const { settledCount, totalPending, carryForward } = await settleStatements(deps, { trigger: 'manual', userId: SETTLED_BY });
      summaries.push({ settledCount, totalPending, carryForward });
    }
    assertEqual(summaries[1], summaries[0], `the settlement run of ${this.today} reported differently`);
  }

  private async overlap(batchSize: number): Promise<void> {
    const command = { cutoff: this.cutoff, batchSize, settledAt: this.now, settledBy: SETTLED_BY };
    const reference = this.reference.statementRepository;
    const first = await reference.settleEligible(command);
    const second = await reference.settleEligible(command);
    const subject = await Promise.all([this.subject.statementRepository.settleEligible(command), this.concurrentSubject.settleEligible(command)]);
    assertEqual(subject[0].settledCount + subject[1].settledCount, first.settledCount + second.settledCount, 'two batches at once settled differently');
    await reference.carryForward({ today: this.today });
    await reference.carryForward({ today: this.today });
    await Promise.all([this.subject.statementRepository.carryForward({ today: this.today }), this.concurrentSubject.carryForward({ today: this.today })]);
  }
}

/** Plays a whole history; the test of a shrunk counterexample calls this with the printed history. */
export async function playHistory(
  history: History,
  stores: { reference: SettlementContractHarness; subject: SettlementContractHarness; concurrent: StatementRepository; reconciliation: ReconciliationRepository },
) {
  const player = await SettlementHistoryPlayer.start(stores.reference, stores.subject, stores.concurrent, stores.reconciliation, history.ageDays);
  for (const [i, step] of history.steps.entries()) {
    await player.play(step);
    await player.check(`step ${i} ${JSON.stringify(step)}`);
  }
  await player.finish();
}

function keyOf(ids: AccountIds): string {
  return ids.vendedorId ? `vendedor:${ids.vendedorId}` : ids.ventanaId ? `ventana:${ids.ventanaId}` : `banca:${ids.bancaId}`;
}

const byDate = (a: StatementRow, b: StatementRow): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

function byEntity(rows: StatementRow[]): Map<string, StatementRow[]> {
  const groups = new Map<string, StatementRow[]>();
  for (const row of [...rows].sort(byDate)) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
  return groups;
}

async function comparable(h: SettlementContractHarness) {
  return (await h.statements())
    .map(({ id: _id, settledAt, ...row }) => ({ ...row, settledAt: settledAt?.toISOString() ?? null }))
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)) || byDate(a as StatementRow, b as StatementRow));
}

function assertEqual(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}\n  expected ${e}\n  actual   ${a}`);
}
