import type { Knex } from 'knex';
import { runSql } from './run-sql';

/** Sales and money movements: the source of truth of statements and closings (docs/architecture.md, The banca rules). */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE TABLE tickets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      sorteo_id uuid NOT NULL REFERENCES sorteos (id),
      vendedor_id uuid NOT NULL,
      ventana_id uuid NOT NULL,
      banca_id uuid NOT NULL,
      business_date date NOT NULL,
      status text NOT NULL CHECK (status IN ('ACTIVE', 'EVALUATED', 'PAID', 'CANCELLED', 'EXCLUDED')),
      total_amount numeric(14,2) NOT NULL CHECK (total_amount >= 0),
      total_payout numeric(14,2) NOT NULL DEFAULT 0 CHECK (total_payout >= 0),
      commission_amount numeric(14,2) NOT NULL DEFAULT 0 CHECK (commission_amount >= 0),
      listero_commission_amount numeric(14,2) NOT NULL DEFAULT 0 CHECK (listero_commission_amount >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (vendedor_id, ventana_id, banca_id) REFERENCES vendedores (id, ventana_id, banca_id)
    );
    -- Closing and statements aggregate a range of business dates; auto-close looks for live sales of a sorteo.
    CREATE INDEX tickets_business_date_idx ON tickets (business_date);
    CREATE INDEX tickets_sorteo_status_idx ON tickets (sorteo_id, status);

    CREATE TABLE account_movements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      vendedor_id uuid,
      ventana_id uuid,
      banca_id uuid NOT NULL REFERENCES bancas (id),
      date date NOT NULL,
      type text NOT NULL CHECK (type IN ('payment', 'collection')),
      amount numeric(14,2) NOT NULL CHECK (amount > 0),
      is_reversed boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- A movement belongs to the most specific entity set on it; a vendedor's carries its ventana and banca.
      dimension text GENERATED ALWAYS AS (
        CASE WHEN vendedor_id IS NOT NULL THEN 'vendedor' WHEN ventana_id IS NOT NULL THEN 'ventana' ELSE 'banca' END
      ) STORED,
      entity_id uuid GENERATED ALWAYS AS (coalesce(vendedor_id, ventana_id, banca_id)) STORED,
      CHECK (vendedor_id IS NULL OR ventana_id IS NOT NULL),
      FOREIGN KEY (ventana_id, banca_id) REFERENCES ventanas (id, banca_id),
      FOREIGN KEY (vendedor_id, ventana_id, banca_id) REFERENCES vendedores (id, ventana_id, banca_id)
    );
    CREATE INDEX account_movements_entity_date_idx ON account_movements (dimension, entity_id, date);
    CREATE INDEX account_movements_date_idx ON account_movements (date);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'DROP TABLE account_movements; DROP TABLE tickets;');
}
