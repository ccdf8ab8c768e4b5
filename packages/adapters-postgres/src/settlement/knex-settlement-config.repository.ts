import type { Knex } from 'knex';
import { DEFAULT_SETTLEMENT_CONFIG, validateSettlementConfigUpdate } from '@banca/domain';
import type { SettlementConfig, SettlementConfigPatch } from '@banca/domain';
import type { SettlementConfigRepository } from '@banca/domain/ports';

const TABLE = 'account_statement_settlement_config';

const COLUMNS: Record<keyof SettlementConfig, string> = {
  enabled: 'enabled',
  settlementAgeDays: 'settlement_age_days',
  batchSize: 'batch_size',
  cronSchedule: 'cron_schedule',
};

const RETURNING = `enabled, settlement_age_days AS "settlementAgeDays", batch_size AS "batchSize", cron_schedule AS "cronSchedule"`;

/** The single row of account_statement_settlement_config (docs/architecture.md, The banca rules); read on every run, so a change needs no restart. */
export class KnexSettlementConfigRepository implements SettlementConfigRepository {
  constructor(private readonly db: Knex) {}

  /**
   * A read writes nothing (it runs at every scrape of /metrics): before the first change there is no row, and
   * the configuration is the defaults, which are also the columns' defaults (docs/architecture.md, Settlement).
   */
  async get(): Promise<SettlementConfig> {
    const { rows } = await this.db.raw(`SELECT ${RETURNING} FROM ${TABLE} WHERE id = 1`);
    return (rows[0] as SettlementConfig | undefined) ?? { ...DEFAULT_SETTLEMENT_CONFIG };
  }

  async update(patch: SettlementConfigPatch, updatedBy: string | null = null): Promise<SettlementConfig> {
    // Re-checked here too: the table cannot refuse a bad cron rule, and an invalid schedule must never be stored.
    const valid = validateSettlementConfigUpdate(patch);
    const fields = (Object.keys(COLUMNS) as Array<keyof SettlementConfig>).filter((field) => valid[field] !== undefined);
    if (fields.length === 0) return this.get();
    const columns = fields.map((field) => COLUMNS[field]);
    // One upsert: the missing row is created with the defaults plus the patch, an existing one gets the patch only.
    const { rows } = await this.db.raw(
      `INSERT INTO ${TABLE} (id, ${columns.join(', ')}, updated_by) VALUES (1, ${columns.map(() => '?').join(', ')}, ?)
       ON CONFLICT (id) DO UPDATE SET ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING ${RETURNING}`,
      [...fields.map((field) => valid[field] as string | number | boolean), updatedBy],
    );
    return rows[0] as SettlementConfig;
  }
}
