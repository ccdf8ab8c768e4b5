import type { Knex } from 'knex';
import { crMonthRange, expandDrawSchedule, toCRDateString } from '@banca/domain';
import { seedId } from './seed-ids';

export interface ScaleShape {
  bancas: number;
  ventanas: number;
  vendedores: number;
}

/**
 * Ids of the scale data are md5 of `banca-scale:<kind>:<n>`, computable in SQL from a row number, so a
 * ticket finds its vendedor, ventana and banca arithmetically, without a join or a list in Node.
 * Ventana j belongs to banca ((j − 1) mod bancas) + 1; vendedor k to ventana ((k − 1) mod ventanas) + 1.
 */
export const scaleIdSql = (kind: 'banca' | 'ventana' | 'vendedor', n: string) => `md5('banca-scale:${kind}:' || (${n})::text)::uuid`;
export const ventanaOfVendedorSql = (k: string, shape: ScaleShape) => `((${k}) - 1) % ${shape.ventanas} + 1`;
export const bancaOfVentanaSql = (j: string, shape: ScaleShape) => `((${j}) - 1) % ${shape.bancas} + 1`;

export const SCALE_LOTERIA_ID = seedId('banca-scale:loteria:tiempos');
const SCALE_RULES = { drawSchedule: { frequency: 'diario', times: ['12:55', '16:30', '19:30'] } };

export async function insertScaleHierarchy(knex: Knex, shape: ScaleShape): Promise<void> {
  const ventana = ventanaOfVendedorSql('k', shape);
  await knex.raw(
    `INSERT INTO bancas (id, name) SELECT ${scaleIdSql('banca', 'i')}, 'Banca ' || i FROM generate_series(1, ?) AS i ON CONFLICT DO NOTHING`,
    [shape.bancas],
  );
  await knex.raw(
    `INSERT INTO ventanas (id, banca_id, name)
     SELECT ${scaleIdSql('ventana', 'j')}, ${scaleIdSql('banca', bancaOfVentanaSql('j', shape))}, 'Ventana ' || j
     FROM generate_series(1, ?) AS j ON CONFLICT DO NOTHING`,
    [shape.ventanas],
  );
  await knex.raw(
    `INSERT INTO vendedores (id, ventana_id, banca_id, name)
     SELECT ${scaleIdSql('vendedor', 'k')}, ${scaleIdSql('ventana', ventana)}, ${scaleIdSql('banca', bancaOfVentanaSql(ventana, shape))}, 'Vendedor ' || k
     FROM generate_series(1, ?) AS k ON CONFLICT DO NOTHING`,
    [shape.vendedores],
  );
}

export interface ScaleSorteo {
  id: string;
  business_date: string;
  scheduled_at: string;
}

/** One lottery with three daily draws over the CR dates of `month`, all CLOSED (the month is over). */
export async function insertScaleSorteos(knex: Knex, month: string): Promise<ScaleSorteo[]> {
  await knex('loterias').insert({ id: SCALE_LOTERIA_ID, name: 'Tiempos', rules_json: JSON.stringify(SCALE_RULES) }).onConflict('id').ignore();
  const { start, end } = crMonthRange(month);
  const draws = expandDrawSchedule({ id: SCALE_LOTERIA_ID, name: 'Tiempos', rulesJson: SCALE_RULES }, { from: start, to: end });
  const rows = draws.map((draw) => ({
    id: seedId(`banca-scale:sorteo:${draw.scheduledAt.toISOString()}`),
    loteria_id: SCALE_LOTERIA_ID,
    name: draw.name,
    scheduled_at: draw.scheduledAt.toISOString(),
    status: 'CLOSED',
  }));
  await knex('sorteos').insert(rows).onConflict('id').ignore();
  return draws.map((draw, i) => ({ id: rows[i]!.id, business_date: toCRDateString(draw.scheduledAt), scheduled_at: rows[i]!.scheduled_at }));
}
