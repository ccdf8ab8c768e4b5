import type { JuniorDirectory } from '@banca/domain/ports';
import type { Knex } from 'knex';
import { isUuid } from './allowance-schedule.row';

export class KnexJuniorDirectory implements JuniorDirectory {
  constructor(private readonly db: Knex) {}

  async juniorBelongsTo(guardianId: string, juniorId: string): Promise<boolean> {
    if (!isUuid(guardianId) || !isUuid(juniorId)) return false;
    const { rows } = await this.db.raw<{ rows: unknown[] }>('SELECT 1 FROM juniors WHERE id = ? AND guardian_id = ?', [juniorId, guardianId]);
    return rows.length > 0;
  }
}
