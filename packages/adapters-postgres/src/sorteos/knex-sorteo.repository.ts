import { type DrawOccurrence, TICKET_STATUSES_NOT_SOLD } from '@banca/domain';
import { type CreateManyResult, type SorteoRepository } from '@banca/domain/ports';
import type { Knex } from 'knex';

/**
 * The occurrences travel as three array parameters whatever their number, so PostgreSQL's limit of
 * 65535 bind parameters never applies; chunks only bound the size of one statement.
 */
const CREATE_CHUNK_SIZE = 5_000;

type IdRows = { rows: Array<{ id: string }> };

export class KnexSorteoRepository implements SorteoRepository {
  constructor(private readonly db: Knex) {}

  async createMany(occurrences: readonly DrawOccurrence[]): Promise<CreateManyResult> {
    let createdCount = 0;
    for (let start = 0; start < occurrences.length; start += CREATE_CHUNK_SIZE) {
      createdCount += await this.insertChunk(occurrences.slice(start, start + CREATE_CHUNK_SIZE));
    }
    return { createdCount, skippedCount: occurrences.length - createdCount };
  }

  /** Rows the conflict skipped (existing, or repeated in the chunk) are not returned: returned = created. */
  private async insertChunk(chunk: readonly DrawOccurrence[]): Promise<number> {
    const { rows } = await this.db.raw<IdRows>(
      `INSERT INTO sorteos (loteria_id, name, scheduled_at, status, is_active)
       SELECT loteria_id, name, scheduled_at, 'SCHEDULED', true
       FROM unnest(?::uuid[], ?::text[], ?::timestamptz[]) AS o (loteria_id, name, scheduled_at)
       ON CONFLICT (loteria_id, scheduled_at) DO NOTHING
       RETURNING id`,
      [chunk.map((o) => o.loteriaId), chunk.map((o) => o.name), chunk.map((o) => o.scheduledAt.toISOString())],
    );
    return rows.length;
  }

  async openScheduledBetween(range: { start: Date; end: Date }): Promise<number> {
    const { rows } = await this.db.raw<IdRows>(
      `UPDATE sorteos AS s SET status = 'OPEN', updated_at = now()
       FROM loterias AS l
       WHERE l.id = s.loteria_id AND l.is_active AND l.auto_open_enabled
         AND s.is_active AND s.status = 'SCHEDULED'
         AND s.scheduled_at >= ? AND s.scheduled_at < ?
       RETURNING s.id`,
      [range.start, range.end],
    );
    return rows.length;
  }

  async closeUnsoldOpenUpTo(now: Date): Promise<number> {
    const { rows } = await this.db.raw<IdRows>(
      `UPDATE sorteos AS s SET status = 'CLOSED', updated_at = now()
       FROM loterias AS l
       WHERE l.id = s.loteria_id AND l.is_active
         AND s.is_active AND s.status = 'OPEN' AND s.scheduled_at <= ?
         AND NOT EXISTS (
           SELECT 1 FROM tickets AS t
           WHERE t.sorteo_id = s.id AND t.status <> ALL (?::text[])
         )
       RETURNING s.id`,
      [now, [...TICKET_STATUSES_NOT_SOLD]],
    );
    return rows.length;
  }
}
