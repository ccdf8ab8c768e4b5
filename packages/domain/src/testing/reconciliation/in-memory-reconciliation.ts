import { Money } from '../../money/money';
import type { ClosingTotalField, Discrepancy, DiscrepancyKind, ReconciliationFindings, ReconciliationQuery, ReconciliationRepository } from '../../reconciliation/reconciliation.ports';
import { CLOSING_TOTAL_FIELDS, DISCREPANCY_KINDS } from '../../reconciliation/reconciliation.ports';
import type { AccountEntity } from '../../settlement/account-entity';
import { accountOwner, sameAccountEntity } from '../../settlement/account-entity';
import { chainBreaks } from '../../settlement/settlement-chain';
import { movementTotals } from '../../settlement/settlement.rules';
import { compareIds, InMemoryBancaData } from '../settlement/banca-fixtures';
import { InMemoryStatementRepository } from '../settlement/in-memory-settlement';
import type { StatementRow } from '../settlement/settlement-contract.harness';
import type { ClosingRow } from '../closing/closing-contract.harness';
import type { GivenClosingRow, ReconciliationContractHarness } from './reconciliation-contract.harness';

/** The stores a reconciliation reads, as the in-memory references keep them. */
export interface InMemoryBooks {
  data: InMemoryBancaData;
  statements(): readonly StatementRow[];
  closingRows(): readonly ClosingRow[];
}

/** The reference ReconciliationRepository: the domain's chain rule and movement totals, entity by entity. */
export class InMemoryReconciliation implements ReconciliationRepository {
  constructor(private readonly books: InMemoryBooks) {}

  async findDiscrepancies(query: ReconciliationQuery): Promise<ReconciliationFindings> {
    const found = [...this.chain(query), ...this.movements(query), ...this.closings(query)].sort(byReportOrder);
    const counts = Object.fromEntries(DISCREPANCY_KINDS.map((kind) => [kind, found.filter((d) => d.kind === kind).length])) as Record<DiscrepancyKind, number>;
    return { discrepancies: found.slice(0, query.limit), counts };
  }

  private chain(query: ReconciliationQuery): Discrepancy[] {
    const found: Discrepancy[] = [];
    for (const { owner, rows } of this.statementsByEntity(query).values()) {
      for (const b of chainBreaks(rows)) {
        const row = rows[b.index]!;
        if (row.date < query.firstDay || row.date > query.lastDay) continue;
        const previous = rows[b.index - 1];
        found.push({
          kind: 'STATEMENT_CHAIN', ...ofEntity(owner), date: row.date, previousDate: previous?.date ?? null,
          previousRemaining: previous?.remainingBalance ?? '0.00', expectedRemaining: b.expectedRemaining, storedRemaining: b.storedRemaining,
        });
      }
    }
    return found;
  }

  private movements(query: ReconciliationQuery): Discrepancy[] {
    const found: Discrepancy[] = [];
    const inMonth = (date: string) => date >= query.firstDay && date <= query.lastDay;
    const live = this.books.data.liveMovements().filter((m) => inMonth(m.date) && matches(query, m.owner));
    const statements = this.statementsByEntity(query);
    const days = new Map<string, { owner: AccountEntity; date: string }>();
    for (const m of live) days.set(`${keyOf(m.owner)}|${m.date}`, { owner: m.owner, date: m.date });
    for (const { owner, rows } of statements.values()) for (const row of rows) if (row.isSettled && inMonth(row.date)) days.set(`${keyOf(owner)}|${row.date}`, { owner, date: row.date });
    for (const { owner, date } of days.values()) {
      const rows = statements.get(keyOf(owner))?.rows ?? [];
      const settled = rows.find((r) => r.date === date && r.isSettled);
      const totals = movementTotals(live.filter((m) => sameAccountEntity(m.owner, owner) && m.date === date));
      if (settled) {
        if (settled.totalPaid === totals.totalPaid && settled.totalCollected === totals.totalCollected) continue;
      } else if (!rows.some((r) => r.isSettled && r.date > date)) {
        continue;
      }
      found.push({
        kind: 'STATEMENT_MOVEMENTS', ...ofEntity(owner), date, settled: settled !== undefined,
        storedPaid: settled?.totalPaid ?? '0.00', movementsPaid: totals.totalPaid,
        storedCollected: settled?.totalCollected ?? '0.00', movementsCollected: totals.totalCollected,
      });
    }
    return found;
  }

  private closings(query: ReconciliationQuery): Discrepancy[] {
    const found: Discrepancy[] = [];
    const all = this.books.closingRows();
    const statements = this.books.statements();
    for (const row of all.filter((r) => r.month === query.month && matches(query, { dimension: r.dimension, id: r.entityId }))) {
      const owner = { dimension: row.dimension, id: row.entityId };
      const previous = all.find((p) => p.month === query.previousMonth && p.dimension === row.dimension && p.entityId === row.entityId);
      const previousRemaining = previous?.remainingBalance ?? '0.00';
      if (!money(previousRemaining).equals(money(row.openingBalance))) {
        found.push({ kind: 'CLOSING_OPENING', ...ofEntity(owner), month: row.month, openingBalance: row.openingBalance, previousRemaining });
      }
      const own = statements.filter((s) => s.date >= query.firstDay && s.date <= query.lastDay && sameAccountEntity(accountOwner(s), owner));
      for (const field of CLOSING_TOTAL_FIELDS) {
        const sum = Money.sum(own.map((s) => s[field])).toString();
        if (sum !== row[field]) found.push({ kind: 'CLOSING_TOTALS', ...ofEntity(owner), month: row.month, field, closing: row[field], statements: sum });
      }
    }
    return found;
  }

  /** Each matching entity's statements in date order, all dates, by entity key. */
  private statementsByEntity(query: ReconciliationQuery): Map<string, { owner: AccountEntity; rows: StatementRow[] }> {
    const groups = new Map<string, { owner: AccountEntity; rows: StatementRow[] }>();
    for (const row of this.books.statements()) {
      const owner = accountOwner(row);
      if (!matches(query, owner)) continue;
      const group = groups.get(keyOf(owner)) ?? { owner, rows: [] };
      group.rows.push(row);
      groups.set(keyOf(owner), group);
    }
    for (const group of groups.values()) group.rows.sort((a, b) => compareIds(a.date, b.date));
    return groups;
  }
}

const KIND_ORDER = new Map<DiscrepancyKind, number>(DISCREPANCY_KINDS.map((kind, i) => [kind, i]));
const FIELD_ORDER = new Map<ClosingTotalField, number>(CLOSING_TOTAL_FIELDS.map((field, i) => [field, i]));

function byReportOrder(a: Discrepancy, b: Discrepancy): number {
  const when = (d: Discrepancy) => ('date' in d ? d.date : d.month);
  const field = (d: Discrepancy) => (d.kind === 'CLOSING_TOTALS' ? FIELD_ORDER.get(d.field)! : 0);
  return (
    KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! ||
    compareIds(a.dimension, b.dimension) ||
    compareIds(a.entityId, b.entityId) ||
    compareIds(when(a), when(b)) ||
    field(a) - field(b)
  );
}

const matches = (query: ReconciliationQuery, owner: AccountEntity): boolean =>
  (query.dimension === null || owner.dimension === query.dimension) && (query.entityId === null || owner.id === query.entityId);
const keyOf = (owner: AccountEntity): string => `${owner.dimension}|${owner.id}`;
const ofEntity = (owner: AccountEntity) => ({ dimension: owner.dimension, entityId: owner.id, entityName: null });
const money = (value: string): Money => Money.parseUnbounded(value);

/** A fresh in-memory store of statements, movements and month balances, for the contract and unit tests. */
export async function inMemoryReconciliationHarness(): Promise<ReconciliationContractHarness> {
  const data = new InMemoryBancaData();
  const statements = new InMemoryStatementRepository(data);
  const closingRows: ClosingRow[] = [];
  return {
    reconciliation: new InMemoryReconciliation({ data, statements: () => statements.rows, closingRows: () => closingRows }),
    givenBanca: (input) => data.givenBanca(input),
    givenVentana: (input) => data.givenVentana(input),
    givenVendedor: (input) => data.givenVendedor(input),
    givenMovement: (input) => data.givenMovement(input),
    reverseMovement: (id) => data.reverseMovement(id),
    givenStatement: async (input) => statements.insert(input),
    givenClosingRow: async (input) => {
      closingRows.push(closingRowOf(input));
    },
    close: async () => undefined,
  };
}

/** The stored row of a GivenClosingRow, every figure derived as the closing does. */
export function closingRowOf(input: GivenClosingRow): ClosingRow {
  const amount = (value: string | undefined) => Money.parseUnbounded(value ?? '0');
  const [sales, payouts, commissions, paid, collected, opening] = [
    input.totalSales, input.totalPayouts, input.totalCommissions, input.totalPaid, input.totalCollected, input.openingBalance,
  ].map(amount) as [Money, Money, Money, Money, Money, Money];
  const net = sales.minus(payouts).minus(commissions);
  return {
    month: input.month,
    dimension: input.dimension,
    entityId: input.entityId,
    ticketCount: input.ticketCount ?? 0,
    totalSales: sales.toString(),
    totalPayouts: payouts.toString(),
    totalCommissions: commissions.toString(),
    netBalance: net.toString(),
    totalPaid: paid.toString(),
    totalCollected: collected.toString(),
    openingBalance: opening.toString(),
    remainingBalance: opening.plus(net).minus(collected).plus(paid).toString(),
  };
}
