import type { Knex } from 'knex';
import { runSql } from './run-sql';

/** Daily account statements and their settlement config (docs/architecture.md, The banca rules). */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE TABLE account_statements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      date date NOT NULL,
      vendedor_id uuid,
      ventana_id uuid,
      banca_id uuid NOT NULL REFERENCES bancas (id),
      dimension text GENERATED ALWAYS AS (
        CASE WHEN vendedor_id IS NOT NULL THEN 'vendedor' WHEN ventana_id IS NOT NULL THEN 'ventana' ELSE 'banca' END
      ) STORED,
      entity_id uuid GENERATED ALWAYS AS (coalesce(vendedor_id, ventana_id, banca_id)) STORED,
      ticket_count integer NOT NULL DEFAULT 0 CHECK (ticket_count >= 0),
      total_sales numeric(14,2) NOT NULL DEFAULT 0,
      total_payouts numeric(14,2) NOT NULL DEFAULT 0,
      total_commissions numeric(14,2) NOT NULL DEFAULT 0,
      balance numeric(14,2) NOT NULL DEFAULT 0,
      total_paid numeric(14,2) NOT NULL DEFAULT 0 CHECK (total_paid >= 0),
      total_collected numeric(14,2) NOT NULL DEFAULT 0 CHECK (total_collected >= 0),
      remaining_balance numeric(14,2) NOT NULL DEFAULT 0,
      is_settled boolean NOT NULL DEFAULT false,
      can_edit boolean NOT NULL DEFAULT true,
      settled_at timestamptz,
      settled_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- One entity shape per statement: vendedor (with its ventana), ventana alone, or banca alone.
      CHECK (vendedor_id IS NULL OR ventana_id IS NOT NULL),
      CHECK (balance = total_sales - total_payouts - total_commissions),
      CHECK (is_settled = (settled_at IS NOT NULL)),
      UNIQUE (dimension, entity_id, date),
      FOREIGN KEY (ventana_id, banca_id) REFERENCES ventanas (id, banca_id),
      FOREIGN KEY (vendedor_id, ventana_id, banca_id) REFERENCES vendedores (id, ventana_id, banca_id)
    );
    -- Settlement picks the oldest unsettled statements before a cutoff.
    CREATE INDEX account_statements_unsettled_idx ON account_statements (date, id) WHERE NOT is_settled;

    CREATE TABLE account_statement_settlement_config (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      enabled boolean NOT NULL DEFAULT false,
      settlement_age_days integer NOT NULL DEFAULT 7 CHECK (settlement_age_days >= 0),
      batch_size integer NOT NULL DEFAULT 1000 CHECK (batch_size > 0),
      cron_schedule text NOT NULL DEFAULT '0 3 * * *',
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'DROP TABLE account_statement_settlement_config; DROP TABLE account_statements;');
}
