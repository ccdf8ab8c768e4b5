import type { Knex } from 'knex';
import type { Discrepancy, DiscrepancyKind } from '@banca/domain';
import type { ReconciliationFindings, ReconciliationQuery, ReconciliationRepository } from '@banca/domain/ports';
import { FIND_DISCREPANCIES_SQL } from './find-discrepancies.sql';

interface FoundRow {
  kind: DiscrepancyKind | 'COUNTS';
  dimension: Discrepancy['dimension'] | null;
  entity_id: string | null;
  entity_name: string | null;
  figures: Record<string, unknown> | null;
  chain_count: number | null;
  movements_count: number | null;
  openings_count: number | null;
  totals_count: number | null;
}

/** Reconciliation on PostgreSQL: one read-only statement per month (see find-discrepancies.sql.ts). */
export class KnexReconciliationRepository implements ReconciliationRepository {
  constructor(private readonly db: Knex) {}

  async findDiscrepancies(query: ReconciliationQuery): Promise<ReconciliationFindings> {
    const { rows } = await this.db.raw<{ rows: FoundRow[] }>(FIND_DISCREPANCIES_SQL, [
      query.firstDay,
      query.lastDay,
      query.dimension,
      query.entityId,
      query.month,
      query.previousMonth,
      query.limit,
    ]);
    const counts = rows.find((row) => row.kind === 'COUNTS')!;
    return {
      discrepancies: rows
        .filter((row) => row.kind !== 'COUNTS')
        .map((row) => ({ kind: row.kind, dimension: row.dimension, entityId: row.entity_id, entityName: row.entity_name, ...row.figures }) as Discrepancy),
      counts: {
        STATEMENT_CHAIN: counts.chain_count!,
        STATEMENT_MOVEMENTS: counts.movements_count!,
        CLOSING_OPENING: counts.openings_count!,
        CLOSING_TOTALS: counts.totals_count!,
      },
    };
  }
}
