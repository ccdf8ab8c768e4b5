import type { Knex } from 'knex';
import { DomainError } from '@banca/domain';
import type { CloseDimensionBatchCommand, CloseDimensionBatchResult, MonthlyClosingRepository } from '@banca/domain';
import { closeDimensionBatchSql, isClosingDimension } from './close-dimension-batch.sql';

/** Monthly closing on PostgreSQL: one statement per page of entities (design §4, Monthly closing). */
export class KnexMonthlyClosingRepository implements MonthlyClosingRepository {
  constructor(private readonly db: Knex) {}

  async closeDimensionBatch(command: CloseDimensionBatchCommand): Promise<CloseDimensionBatchResult> {
    const { dimension } = command;
    // The dimension picks table and column names, so only the three known ones may reach the SQL.
    if (!isClosingDimension(dimension)) {
      throw new DomainError('CLOSING.INVALID_DIMENSION', `invalid closing dimension ${JSON.stringify(dimension)}: expected vendedor, ventana or banca`, {
        value: String(dimension),
      });
    }
    const { rows } = await this.db.raw(closeDimensionBatchSql(dimension), [
      command.afterEntityId,
      command.afterEntityId,
      command.limit,
      command.firstDay,
      command.lastDay,
      dimension,
      command.firstDay,
      command.lastDay,
      command.previousMonth,
      dimension,
      command.month,
      dimension,
      command.closedAt.toISOString(),
      command.closedBy,
    ]);
    const { processed, last_entity_id: lastEntityId } = rows[0] as { processed: number; last_entity_id: string | null };
    // The page is written by one statement: it succeeds whole or throws, so there is no per-entity error to count.
    return { processed, errors: 0, lastEntityId };
  }
}
