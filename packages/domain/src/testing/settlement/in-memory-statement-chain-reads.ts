import type { AccountDimension } from '../../settlement/account-entity';
import { accountOwner, sameAccountEntity } from '../../settlement/account-entity';
import type { StatementChainEntry, StatementChainQuery, StatementChainReadRepository } from '../../settlement/statement-chain-reads.ports';
import { compareIds, InMemoryBancaData } from './banca-fixtures';
import { InMemoryStatementRepository } from './in-memory-settlement';
import type { StatementChainContractHarness } from './statement-chain-reads.contract';

/** The reference StatementChainReadRepository, over the in-memory statements. */
export class InMemoryStatementChainReads implements StatementChainReadRepository {
  constructor(
    private readonly data: InMemoryBancaData,
    private readonly statements: InMemoryStatementRepository,
  ) {}

  async findEntity(dimension: AccountDimension, entityId: string): Promise<{ name: string } | null> {
    const name = this.data.nameOf({ dimension, id: entityId });
    return name === null ? null : { name };
  }

  async statementChain({ dimension, entityId, from, to, afterDate, limit }: StatementChainQuery): Promise<StatementChainEntry[]> {
    const chain = this.statements.rows.filter((row) => sameAccountEntity(accountOwner(row), { dimension, id: entityId })).sort((a, b) => compareIds(a.date, b.date));
    return chain
      .map((row, index) => ({ row, previousRemaining: chain[index - 1]?.remainingBalance ?? null }))
      .filter(({ row }) => row.date >= from && row.date <= to && (afterDate === null || row.date > afterDate))
      .slice(0, limit)
      .map(({ row, previousRemaining }) => ({
        date: row.date,
        ticketCount: row.ticketCount,
        totalSales: row.totalSales,
        totalPayouts: row.totalPayouts,
        totalCommissions: row.totalCommissions,
        balance: row.balance,
        totalPaid: row.totalPaid,
        totalCollected: row.totalCollected,
        remainingBalance: row.remainingBalance,
        isSettled: row.isSettled,
        settledAt: row.settledAt && new Date(row.settledAt.getTime()),
        settledBy: row.settledBy,
        previousRemaining,
      }));
  }
}

/** A fresh in-memory store of the hierarchy and statements, for the contract and unit tests. */
export async function inMemoryStatementChainHarness(): Promise<StatementChainContractHarness & { data: InMemoryBancaData; statements: InMemoryStatementRepository }> {
  const data = new InMemoryBancaData();
  const statements = new InMemoryStatementRepository(data);
  return {
    data,
    statements,
    statementChain: new InMemoryStatementChainReads(data, statements),
    givenBanca: (input) => data.givenBanca(input),
    givenVentana: (input) => data.givenVentana(input),
    givenVendedor: (input) => data.givenVendedor(input),
    givenMovement: (input) => data.givenMovement(input),
    reverseMovement: (id) => data.reverseMovement(id),
    givenStatement: async (input) => statements.insert(input),
    close: async () => undefined,
  };
}
