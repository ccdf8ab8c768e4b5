import type { Knex } from 'knex';
import { runSql } from './run-sql';

/** bancas → ventanas → vendedores (docs/architecture.md, The banca rules). Composite keys make a vendedor's banca always its ventana's. */
export async function up(knex: Knex): Promise<void> {
  await runSql(knex, `
    CREATE TABLE bancas (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE ventanas (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      banca_id uuid NOT NULL REFERENCES bancas (id),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (id, banca_id)
    );
    CREATE INDEX ventanas_banca_idx ON ventanas (banca_id);

    CREATE TABLE vendedores (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      ventana_id uuid NOT NULL,
      banca_id uuid NOT NULL,
      name text NOT NULL CHECK (length(trim(name)) > 0),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (id, ventana_id, banca_id),
      FOREIGN KEY (ventana_id, banca_id) REFERENCES ventanas (id, banca_id)
    );
    CREATE INDEX vendedores_ventana_idx ON vendedores (ventana_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await runSql(knex, 'DROP TABLE vendedores; DROP TABLE ventanas; DROP TABLE bancas;');
}
