import type { AccountIds } from '../../settlement/account-entity';
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
import { isEligibleForSettlement, movementTotals, nextRemainingBalance, statementBalance } from '../../settlement/settlement.rules';
import { Money, formatMoney } from '../../money/money';
import { InMemoryBancaData, compareIds } from './banca-fixtures';
import type { GivenStatement, SettlementContractHarness, StatementRow } from './settlement-contract.harness';

export class InMemorySettlementConfigRepository implements SettlementConfigRepository {
  private stored: SettlementConfig | null = null;

  async get(): Promise<SettlementConfig> {
    this.stored ??= { ...DEFAULT_SETTLEMENT_CONFIG };
    return { ...this.stored };
  }

  async update(patch: SettlementConfigPatch): Promise<SettlementConfig> {
    this.stored = applySettlementConfigUpdate(await this.get(), patch);
    return { ...this.stored };
  }
}

/**
 * The reference StatementRepository: applies the domain rules row by row. Each call runs without
 * an await in between, so two concurrent calls never interleave (as row locks ensure in a database).
 */
export class InMemoryStatementRepository implements StatementRepository {
  readonly rows: StatementRow[] = [];

  constructor(private readonly data: InMemoryBancaData) {}

  async countEligible(cutoff: string): Promise<number> {
    return this.rows.filter((row) => isEligibleForSettlement(row, cutoff)).length;
  }

  async settleEligible({ cutoff, batchSize, settledAt, settledBy }: SettleEligibleCommand): Promise<SettleBatchResult> {
    const batch = this.rows
      .filter((row) => isEligibleForSettlement(row, cutoff))
      .sort((a, b) => compareIds(a.date, b.date) || compareIds(a.id, b.id))
      .slice(0, batchSize);
    const result = { settledCount: 0, skippedCount: 0, errorCount: 0 };
    for (const row of batch) {
      try {
        const owner = accountOwner(row);
        const totals = movementTotals(this.data.movementsOf(owner, (date) => date === row.date));
        const previous = this.latestBefore(row, row.date);
        row.remainingBalance = nextRemainingBalance(previous?.remainingBalance, { balance: row.balance, ...totals });
        Object.assign(row, totals, { isSettled: true, canEdit: false, settledAt: new Date(settledAt.getTime()), settledBy });
        result.settledCount += 1;
      } catch {
        result.errorCount += 1;
      }
    }
    return result;
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
  private latestBefore(ids: AccountIds, date: string): StatementRow | undefined {
    const owner = accountOwner(ids);
    return this.rows
      .filter((row) => row.date < date && sameAccountEntity(accountOwner(row), owner))
      .reduce<StatementRow | undefined>((latest, row) => (latest === undefined || row.date > latest.date ? row : latest), undefined);
  }
}

/** A fresh in-memory store with the settlement ports and fixtures, for the contract and unit tests. */
export async function inMemorySettlementHarness(): Promise<SettlementContractHarness & { data: InMemoryBancaData }> {
  const data = new InMemoryBancaData();
  const statementRepository = new InMemoryStatementRepository(data);
  return {
    data,
    configRepository: new InMemorySettlementConfigRepository(),
    statementRepository,
    givenBanca: (input) => data.givenBanca(input),
    givenVentana: (input) => data.givenVentana(input),
    givenVendedor: (input) => data.givenVendedor(input),
    givenMovement: (input) => data.givenMovement(input),
    givenUser: async () => data.nextId('user'),
    givenStatement: async (input) => statementRepository.insert(input),
    statements: async () => statementRepository.rows.map((row) => ({ ...row, settledAt: row.settledAt && new Date(row.settledAt.getTime()) })),
    close: async () => undefined,
  };
}
