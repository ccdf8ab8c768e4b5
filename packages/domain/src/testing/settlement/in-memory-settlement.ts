import type { AccountEntity, AccountIds } from '../../settlement/account-entity';
import { accountOwner, sameAccountEntity } from '../../settlement/account-entity';
import type { SettlementConfig, SettlementConfigPatch } from '../../settlement/settlement-config';
import { DEFAULT_SETTLEMENT_CONFIG, applySettlementConfigUpdate } from '../../settlement/settlement-config';
import type {
  CarryForwardResult,
  SettleBatchResult,
  SettleEligibleCommand,
  SettlementConfigRepository,
  StatementRepository,
} from '../../settlement/settlement.ports';
import { assertEligibleCountLimit, movementTotals, nextRemainingBalance, statementBalance } from '../../settlement/settlement.rules';
import { chainedRemaining, hasStatementActivity } from '../../settlement/settlement-chain';
import { Money, formatMoney } from '../../money/money';
import { InMemoryBancaData, compareIds } from './banca-fixtures';
import type { GivenStatement, SettlementContractHarness, StatementRow } from './settlement-contract.harness';

export class InMemorySettlementConfigRepository implements SettlementConfigRepository {
  private stored: SettlementConfig | null = null;
  /** Who saved the latest change. */
  updatedBy: string | null = null;

  async get(): Promise<SettlementConfig> {
    this.stored ??= { ...DEFAULT_SETTLEMENT_CONFIG };
    return { ...this.stored };
  }

  async update(patch: SettlementConfigPatch, updatedBy: string | null = null): Promise<SettlementConfig> {
    this.stored = applySettlementConfigUpdate(await this.get(), patch);
    this.updatedBy = updatedBy;
    return { ...this.stored };
  }
}

/**
 * The reference StatementRepository: applies the domain rules row by row. Each call runs without
 * an await in between, so two concurrent calls never interleave (as the settlement lock and row
 * locks ensure in a database).
 */
export class InMemoryStatementRepository implements StatementRepository {
  readonly rows: StatementRow[] = [];

  constructor(private readonly data: InMemoryBancaData) {}

  async countEligible(cutoff: string, atMost?: number): Promise<number> {
    if (atMost !== undefined) assertEligibleCountLimit(atMost);
    const eligible = this.eligibleDays(cutoff).length;
    return atMost === undefined ? eligible : Math.min(eligible, atMost);
  }

  async settleEligible({ cutoff, batchSize, settledAt, settledBy }: SettleEligibleCommand): Promise<SettleBatchResult> {
    const batch = this.eligibleDays(cutoff).slice(0, batchSize);
    const byEntity = new Map<string, EligibleDay[]>();
    for (const day of batch) byEntity.set(entityKey(day.owner), [...(byEntity.get(entityKey(day.owner)) ?? []), day]);
    for (const days of byEntity.values()) this.settleChain(days, new Date(settledAt.getTime()), settledBy);
    return { settledCount: batch.length, skippedCount: 0, errorCount: 0 };
  }

  async carryForward({ today }: { today: string }): Promise<CarryForwardResult> {
    const result = { createdCount: 0, skippedCount: 0, errorCount: 0 };
    for (const { entity, ids } of this.data.activeEntities()) {
      const latest = this.latestBefore(ids, today);
      if (!latest || Money.parseUnbounded(latest.remainingBalance).isZero()) continue;
      if (this.rows.some((row) => row.date === today && sameAccountEntity(accountOwner(row), entity))) {
        result.skippedCount += 1;
        continue;
      }
      this.insert({ ...ids, date: today, remainingBalance: latest.remainingBalance });
      result.createdCount += 1;
    }
    return result;
  }

  /**
   * The days the next batch may settle, oldest first (then dimension, then entity id): unsettled
   * statements with activity and days with movements not reversed, before the cutoff and after the
   * entity's latest settled statement (an earlier day is drift, left to reconciliation).
   */
  private eligibleDays(cutoff: string): EligibleDay[] {
    const days = new Map<string, EligibleDay>();
    const add = (owner: AccountEntity, ids: AccountIds, date: string) => {
      const only = { vendedorId: ids.vendedorId ?? null, ventanaId: ids.ventanaId ?? null, bancaId: ids.bancaId };
      if (date < cutoff) days.set(`${entityKey(owner)}|${date}`, { owner, ids: only, date });
    };
    for (const row of this.rows) if (!row.isSettled && hasStatementActivity(row)) add(accountOwner(row), row, row.date);
    for (const m of this.data.liveMovements()) add(m.owner, m, m.date);
    const frontiers = new Map<string, string>();
    for (const row of this.rows) {
      const key = entityKey(accountOwner(row));
      if (row.isSettled && row.date > (frontiers.get(key) ?? '')) frontiers.set(key, row.date);
    }
    return [...days.values()]
      .filter((day) => day.date > (frontiers.get(entityKey(day.owner)) ?? ''))
      .sort((a, b) => compareIds(a.date, b.date) || compareIds(a.owner.dimension, b.owner.dimension) || compareIds(a.owner.id, b.owner.id));
  }

  /**
   * Settles consecutive eligible days of one entity: each from the statement before it, the days
   * with movements only getting their statement; the statements without activity between and after
   * them, up to the next one with activity, take the new balance.
   */
  private settleChain(days: EligibleDay[], settledAt: Date, settledBy: string | null): void {
    const { owner } = days[0]!;
    const first = days[0]!.date;
    const last = days[days.length - 1]!.date;
    for (const day of days) if (!this.rowAt(owner, day.date)) this.insert({ ...day.ids, date: day.date });
    const settling = new Set(days.map((d) => d.date));
    const entityRows = this.rows.filter((row) => sameAccountEntity(accountOwner(row), owner)).sort((a, b) => compareIds(a.date, b.date));
    const stop = entityRows.find((row) => row.date > last && (row.isSettled || hasStatementActivity(row)))?.date;
    let remaining: string | null = this.latestBefore(owner, first)?.remainingBalance ?? null;
    for (const row of entityRows.filter((r) => r.date >= first && (stop === undefined || r.date < stop))) {
      if (settling.has(row.date)) {
        const totals = movementTotals(this.data.movementsOf(owner, (date) => date === row.date));
        remaining = nextRemainingBalance(remaining, { balance: row.balance, ...totals });
        Object.assign(row, totals, { remainingBalance: remaining, isSettled: true, canEdit: false, settledAt: new Date(settledAt.getTime()), settledBy });
      } else {
        remaining = chainedRemaining(remaining, row);
        if (!row.isSettled && !hasStatementActivity(row)) row.remainingBalance = remaining;
      }
    }
  }

  private rowAt(owner: AccountEntity, date: string): StatementRow | undefined {
    return this.rows.find((row) => row.date === date && sameAccountEntity(accountOwner(row), owner));
  }

  insert(input: GivenStatement): string {
    const id = this.data.nextId('statement');
    const zero = '0.00';
    const sales = { totalSales: input.totalSales ?? zero, totalPayouts: input.totalPayouts ?? zero, totalCommissions: input.totalCommissions ?? zero };
    const balance = input.balance ?? statementBalance(sales);
    const totalPaid = input.totalPaid ?? zero;
    const totalCollected = input.totalCollected ?? zero;
    this.rows.push({
      id,
      vendedorId: input.vendedorId ?? null,
      ventanaId: input.ventanaId ?? null,
      bancaId: input.bancaId,
      date: input.date,
      ticketCount: input.ticketCount ?? 0,
      totalSales: formatMoney(sales.totalSales),
      totalPayouts: formatMoney(sales.totalPayouts),
      totalCommissions: formatMoney(sales.totalCommissions),
      balance: formatMoney(balance),
      totalPaid: formatMoney(totalPaid),
      totalCollected: formatMoney(totalCollected),
      remainingBalance: formatMoney(input.remainingBalance ?? nextRemainingBalance(null, { balance, totalPaid, totalCollected })),
      isSettled: input.isSettled ?? false,
      canEdit: input.canEdit ?? true,
      settledAt: input.settledAt ? new Date(input.settledAt.getTime()) : null,
      settledBy: input.settledBy ?? null,
    });
    return id;
  }

  /** The entity's latest statement strictly before `date`. */
  private latestBefore(ids: AccountIds | AccountEntity, date: string): StatementRow | undefined {
    const owner = 'dimension' in ids ? ids : accountOwner(ids);
    return this.rows
      .filter((row) => row.date < date && sameAccountEntity(accountOwner(row), owner))
      .reduce<StatementRow | undefined>((latest, row) => (latest === undefined || row.date > latest.date ? row : latest), undefined);
  }
}

interface EligibleDay {
  owner: AccountEntity;
  ids: AccountIds;
  date: string;
}

const entityKey = (owner: AccountEntity): string => `${owner.dimension}|${owner.id}`;

/** A fresh in-memory store with the settlement ports and fixtures, for the contract and unit tests. */
export async function inMemorySettlementHarness(): Promise<SettlementContractHarness & { data: InMemoryBancaData }> {
  const data = new InMemoryBancaData();
  const statementRepository = new InMemoryStatementRepository(data);
  const configRepository = new InMemorySettlementConfigRepository();
  return {
    data,
    configRepository,
    configUpdatedBy: async () => configRepository.updatedBy,
    statementRepository,
    givenBanca: (input) => data.givenBanca(input),
    givenVentana: (input) => data.givenVentana(input),
    givenVendedor: (input) => data.givenVendedor(input),
    givenMovement: (input) => data.givenMovement(input),
    reverseMovement: (id) => data.reverseMovement(id),
    givenUser: async () => data.nextId('user'),
    givenStatement: async (input) => statementRepository.insert(input),
    statements: async () => statementRepository.rows.map((row) => ({ ...row, settledAt: row.settledAt && new Date(row.settledAt.getTime()) })),
    close: async () => undefined,
  };
}
