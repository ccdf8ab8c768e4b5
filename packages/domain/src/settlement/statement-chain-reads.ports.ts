import type { AccountDimension } from './account-entity';
import type { ChainLink } from './settlement-chain';

export interface StatementChainQuery {
  dimension: AccountDimension;
  entityId: string;
  /** First and last CR dates of the range, both included. */
  from: string;
  to: string;
  /** Only statements after this date (the last one of the page before); null from the start of the range. */
  afterDate: string | null;
  limit: number;
}

/** One stored statement of the chain, with the remaining balance of the statement before it. */
export interface StatementChainEntry extends ChainLink {
  date: string;
  totalSales: string;
  totalPayouts: string;
  totalCommissions: string;
  settledAt: Date | null;
  settledBy: string | null;
  /** The remaining balance of the entity's statement before this one (before the range too); null for its first. */
  previousRemaining: string | null;
}

/** The reads of one entity's statement chain for operators (docs/architecture.md, Account statements). */
export interface StatementChainReadRepository {
  /** The entity of that dimension, or null when there is none. */
  findEntity(dimension: AccountDimension, entityId: string): Promise<{ name: string } | null>;
  /** At most `limit` of the entity's statements in the range after `afterDate`, in date order. */
  statementChain(query: StatementChainQuery): Promise<StatementChainEntry[]>;
}
