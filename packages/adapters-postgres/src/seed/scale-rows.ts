import type { Knex } from 'knex';
import { bancaOfVentanaSql, scaleIdSql, ventanaOfVendedorSql, type ScaleShape, type ScaleSorteo } from './scale-hierarchy';
import { sqlHash32 } from './seed-ids';

/** Rows `[from, to]` (1-based, inclusive) of a generated series, as one INSERT … SELECT. */
export interface SeriesChunk {
  from: number;
  to: number;
}

/**
 * Tickets number `from`..`to` of `month`: each row's draw, vendedor, amount and fate come from the md5 of
 * its number, so the data is the same on every run and nothing passes through Node. Amounts are whole
 * colones from ₡200 to ₡10 000; commissions 8.5 % (vendedor) and 3 % (ventana), rounded to céntimos;
 * 3 % cancelled, 0.5 % excluded, 1 % winners paid 70 times the stake.
 */
export async function insertScaleTickets(knex: Knex, month: string, shape: ScaleShape, sorteos: ScaleSorteo[], chunk: SeriesChunk): Promise<void> {
  const seed = `'${month}:' || g.n::text`;
  const vendedor = `1 + h.who % ${shape.vendedores}`;
  const ventana = ventanaOfVendedorSql(vendedor, shape);
  await knex.raw(
    `
    INSERT INTO tickets (id, sorteo_id, vendedor_id, ventana_id, banca_id, business_date, status,
                         total_amount, total_payout, commission_amount, listero_commission_amount, created_at)
    SELECT md5('banca-scale:ticket:' || ${seed})::uuid, s.id,
           ${scaleIdSql('vendedor', vendedor)}, ${scaleIdSql('ventana', ventana)}, ${scaleIdSql('banca', bancaOfVentanaSql(ventana, shape))},
           s.business_date, t.status, t.amount, CASE WHEN t.status = 'PAID' THEN t.amount * 70 ELSE 0 END,
           round(t.amount * 0.085, 2), round(t.amount * 0.03, 2), s.scheduled_at - (h.minutes || ' minutes')::interval
    FROM generate_series(?::bigint, ?::bigint) AS g(n)
    CROSS JOIN LATERAL (SELECT ${sqlHash32(seed, 0)} AS draw, ${sqlHash32(seed, 1)} AS who,
                               ${sqlHash32(seed, 2)} AS size, ${sqlHash32(seed, 3)} AS fate) AS hashed
    CROSS JOIN LATERAL (SELECT hashed.draw % ? AS draw_index, hashed.who, hashed.size % 99 AS size,
                               hashed.fate % 1000 AS fate, 5 + hashed.fate % 240 AS minutes) AS h
    JOIN jsonb_to_recordset(?::jsonb) AS s(ordinal bigint, id uuid, business_date date, scheduled_at timestamptz)
      ON s.ordinal = h.draw_index + 1
    CROSS JOIN LATERAL (SELECT (100 * (2 + h.size))::numeric(14,2) AS amount,
                               CASE WHEN h.fate < 30 THEN 'CANCELLED' WHEN h.fate < 35 THEN 'EXCLUDED'
                                    WHEN h.fate < 45 THEN 'PAID' ELSE 'EVALUATED' END AS status) AS t
    ON CONFLICT (id) DO NOTHING
    `,
    [chunk.from, chunk.to, sorteos.length, JSON.stringify(sorteos.map((sorteo, i) => ({ ...sorteo, ordinal: i + 1 })))],
  );
}

/** Movements number `from`..`to` of `month`: vendedores' collections (3 in 4) and payments on the month's days. */
export async function insertScaleMovements(knex: Knex, month: string, shape: ScaleShape, days: string[], chunk: SeriesChunk): Promise<void> {
  const seed = `'${month}:movement:' || g.n::text`;
  const vendedor = `1 + ${sqlHash32(seed, 0)} % ${shape.vendedores}`;
  const ventana = ventanaOfVendedorSql(vendedor, shape);
  await knex.raw(
    `
    INSERT INTO account_movements (id, vendedor_id, ventana_id, banca_id, date, type, amount)
    SELECT md5('banca-scale:movement:' || ${seed})::uuid,
           ${scaleIdSql('vendedor', vendedor)}, ${scaleIdSql('ventana', ventana)}, ${scaleIdSql('banca', bancaOfVentanaSql(ventana, shape))},
           (?::date[])[1 + ${sqlHash32(seed, 1)} % ?],
           CASE WHEN ${sqlHash32(seed, 2)} % 4 = 0 THEN 'payment' ELSE 'collection' END,
           (1000 + 500 * (${sqlHash32(seed, 3)} % 100))::numeric(14,2)
    FROM generate_series(?::bigint, ?::bigint) AS g(n)
    ON CONFLICT (id) DO NOTHING
    `,
    [days, days.length, chunk.from, chunk.to],
  );
}

/**
 * Activity logs number `from`..`to` of `count`, all strictly before `before`, spread evenly over the
 * `spreadDays` days before it in the order they are numbered: a log is appended as things happen, so
 * its table is in creation order, as a real one is.
 */
export async function insertOldActivityLogs(knex: Knex, before: Date, spreadDays: number, count: number, chunk: SeriesChunk): Promise<void> {
  const seed = `'log:' || g.n::text`;
  await knex.raw(
    `
    INSERT INTO activity_logs (created_at, actor_id, action, target_type, target_id, details)
    SELECT ?::timestamptz - make_interval(secs => ?::float8 * (1 - g.n::float8 / (?::float8 + 1))), 'bench', 'TICKET_CREATED', 'ticket',
           md5(${seed})::uuid::text, jsonb_build_object('n', g.n)
    FROM generate_series(?::bigint, ?::bigint) AS g(n)
    ORDER BY g.n
    `,
    [before, spreadDays * 86_400, count, chunk.from, chunk.to],
  );
}
