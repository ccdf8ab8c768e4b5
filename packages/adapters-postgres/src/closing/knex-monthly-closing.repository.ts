import type { Knex } from 'knex';
import { DomainError } from '@banca/domain';
import type { CloseDimensionBatchCommand, CloseDimensionBatchResult, MonthlyClosingRepository } from '@banca/domain/ports';
import { closeDimensionBatchQuery, isClosingDimension } from './close-dimension-batch.sql';

/** Monthly closing on PostgreSQL: one statement per page of entities (docs/architecture.md, Monthly closing). */
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
    const { sql, bindings } = closeDimensionBatchQuery(command);
    const { rows } = await this.db.raw(sql, bindings);
    const row = rows[0] as { processed: number; later_rows_updated: number; last_entity_id: string | null };
    // The page is written by one statement: it succeeds whole or throws, so there is no per-entity error to count.
    return { processed: row.processed, errors: 0, lastEntityId: row.last_entity_id, laterRowsUpdated: row.later_rows_updated };
  }
}
