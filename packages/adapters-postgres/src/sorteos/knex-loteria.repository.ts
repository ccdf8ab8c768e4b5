import type { LoteriaForAutoCreate, LoteriaRepository } from '@banca/domain/ports';
import type { Knex } from 'knex';

export class KnexLoteriaRepository implements LoteriaRepository {
  constructor(private readonly db: Knex) {}

  async listForAutoCreate(): Promise<LoteriaForAutoCreate[]> {
    const { rows } = await this.db.raw<{ rows: Array<{ id: string; name: string; rules_json: unknown }> }>(`
      SELECT id, name, rules_json FROM loterias
      WHERE is_active AND auto_create_enabled
      ORDER BY name, id
    `);
    return rows.map((row) => ({ id: row.id, name: row.name, rulesJson: row.rules_json }));
  }
}
