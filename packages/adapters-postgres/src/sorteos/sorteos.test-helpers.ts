import type { SorteoRow, SorteosContractHarness } from '@banca/domain/testing';
import type { Knex } from 'knex';
import { createMigratedSchema } from '../testing/migrated-database';
import { KnexLoteriaRepository } from './knex-loteria.repository';
import { KnexSorteoRepository } from './knex-sorteo.repository';

interface SorteoDbRow {
  id: string;
  loteria_id: string;
  name: string;
  scheduled_at: Date;
  status: SorteoRow['status'];
  is_active: boolean;
}

/** The sorteo ports and fixture writers over `db`, whose tables are assumed empty. */
export function knexSorteosHarness(db: Knex, close: () => Promise<void>): SorteosContractHarness {
  let seller: Promise<{ vendedorId: string; ventanaId: string; bancaId: string }> | undefined;
  const sellerForTickets = () => (seller ??= givenSeller(db));
  return {
    loterias: new KnexLoteriaRepository(db),
    sorteos: new KnexSorteoRepository(db),
    async givenLoteria(input) {
      const [row] = await db('loterias')
        .insert({
          name: input.name,
          is_active: input.isActive ?? true,
          auto_open_enabled: input.autoOpenEnabled ?? true,
          auto_create_enabled: input.autoCreateEnabled ?? true,
          rules_json: JSON.stringify(input.rulesJson ?? {}),
        })
        .returning('id');
      return (row as { id: string }).id;
    },
    async givenSorteo(input) {
      const [row] = await db('sorteos')
        .insert({
          loteria_id: input.loteriaId,
          name: input.name ?? `sorteo ${input.scheduledAt.toISOString()}`,
          scheduled_at: input.scheduledAt,
          status: input.status ?? 'SCHEDULED',
          is_active: input.isActive ?? true,
        })
        .returning('id');
      return (row as { id: string }).id;
    },
    async givenTicket(input) {
      const { vendedorId, ventanaId, bancaId } = await sellerForTickets();
      const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(
        `INSERT INTO tickets (sorteo_id, vendedor_id, ventana_id, banca_id, business_date, status, total_amount)
         SELECT s.id, ?, ?, ?, (s.scheduled_at AT TIME ZONE 'America/Costa_Rica')::date, ?, 1000
         FROM sorteos AS s WHERE s.id = ?
         RETURNING id`,
        [vendedorId, ventanaId, bancaId, input.status, input.sorteoId],
      );
      if (!rows[0]) throw new Error(`no sorteo ${input.sorteoId}`);
      return rows[0].id;
    },
    async listSorteos() {
      const rows: SorteoDbRow[] = await db('sorteos').select('id', 'loteria_id', 'name', 'scheduled_at', 'status', 'is_active');
      return rows.map((row) => ({
        id: row.id,
        loteriaId: row.loteria_id,
        name: row.name,
        scheduledAt: row.scheduled_at,
        status: row.status,
        isActive: row.is_active,
      }));
    },
    close,
  };
}

/** Tickets need a seller: one banca → ventana → vendedor, made on the first ticket. */
async function givenSeller(db: Knex): Promise<{ vendedorId: string; ventanaId: string; bancaId: string }> {
  const { rows } = await db.raw<{ rows: Array<{ vendedor_id: string; ventana_id: string; banca_id: string }> }>(`
    WITH banca AS (INSERT INTO bancas (name) VALUES ('Banca') RETURNING id),
    ventana AS (INSERT INTO ventanas (banca_id, name) SELECT id, 'Ventana' FROM banca RETURNING id, banca_id)
    INSERT INTO vendedores (ventana_id, banca_id, name) SELECT id, banca_id, 'Vendedor' FROM ventana
    RETURNING id AS vendedor_id, ventana_id, banca_id
  `);
  const row = rows[0]!;
  return { vendedorId: row.vendedor_id, ventanaId: row.ventana_id, bancaId: row.banca_id };
}

/** A harness on a fresh migrated schema of real PostgreSQL. */
export async function postgresSorteosHarness(): Promise<SorteosContractHarness> {
  const database = await createMigratedSchema('sorteos');
  return knexSorteosHarness(database.knex, () => database.close());
}
