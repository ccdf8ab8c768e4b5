import type { Knex } from 'knex';
import { addCRDays, crDayRange, expandDrawSchedule, toCRDateString } from '@banca/domain';
import { DEMO_BANCAS, DEMO_LOTERIAS, DEMO_VENDEDORES, DEMO_VENTANAS, demoId } from './demo-catalog';
import { sqlHash32 } from './seed-ids';

export interface DemoSorteo {
  id: string;
  loteria_id: string;
  name: string;
  scheduled_at: string;
  status: 'OPEN' | 'EVALUATED' | 'CLOSED';
  business_date: string;
  /** Whether tickets are generated for it: yesterday's Monazos stay unsold, for auto-close to find. */
  sold: boolean;
}

/**
 * The draws of every demo lottery from `firstDay` to today (CR): past days CLOSED, yesterday
 * EVALUATED, today's OPEN (auto-open's work already done); yesterday's Monazos are left OPEN and unsold.
 */
export function demoSorteos(firstDay: string, today: string): DemoSorteo[] {
  const yesterday = addCRDays(today, -1);
  const window = { from: crDayRange(firstDay).start, to: crDayRange(today).end };
  return DEMO_LOTERIAS.flatMap((loteria) =>
    expandDrawSchedule({ id: demoId(loteria.key), name: loteria.name, rulesJson: loteria.rulesJson }, window).map((draw) => {
      const day = toCRDateString(draw.scheduledAt);
      const unsoldLeftOpen = loteria.key === 'loteria:monazos' && day === yesterday;
      const status = day === today || unsoldLeftOpen ? 'OPEN' : day === yesterday ? 'EVALUATED' : 'CLOSED';
      return {
        id: demoId(`sorteo:${loteria.key}:${draw.scheduledAt.toISOString()}`),
        loteria_id: draw.loteriaId,
        name: draw.name,
        scheduled_at: draw.scheduledAt.toISOString(),
        status,
        business_date: day,
        sold: !unsoldLeftOpen,
      } as const;
    }),
  );
}

export async function insertDemoSorteos(trx: Knex.Transaction, sorteos: DemoSorteo[]): Promise<void> {
  const rows = sorteos.map(({ id, loteria_id, name, scheduled_at, status }) => ({ id, loteria_id, name, scheduled_at, status }));
  for (let i = 0; i < rows.length; i += 500) await trx('sorteos').insert(rows.slice(i, i + 500)).onConflict('id').ignore();
}

const vendedoresJson = () =>
  JSON.stringify(DEMO_VENDEDORES.map((v) => ({ id: demoId(v.key), ventana_id: demoId(v.ventana), banca_id: demoId(v.banca) })));

/**
 * Up to three tickets per vendedor and sold draw, in one statement. Amounts are whole colones from
 * ₡200 to ₡5 000; the vendedor keeps 8.5 % and the ventana 3 %; about 1 % win 70 times the stake.
 * An OPEN draw's tickets are ACTIVE; a past draw's are EVALUATED, PAID (winners), CANCELLED or EXCLUDED.
 */
export async function insertDemoTickets(trx: Knex.Transaction, sorteos: DemoSorteo[]): Promise<void> {
  const sold = sorteos.filter((s) => s.sold).map(({ id, scheduled_at, status, business_date }) => ({ id, scheduled_at, status, business_date }));
  const seed = `s.id::text || v.id::text || g.n::text`;
  await trx.raw(
    `
    INSERT INTO tickets (id, sorteo_id, vendedor_id, ventana_id, banca_id, business_date, status,
                         total_amount, total_payout, commission_amount, listero_commission_amount, created_at)
    SELECT md5('banca-demo:ticket:' || ${seed})::uuid, s.id, v.id, v.ventana_id, v.banca_id, s.business_date, t.status,
           t.amount, CASE WHEN t.status = 'PAID' THEN t.amount * 70 ELSE 0 END,
           round(t.amount * 0.085, 2), round(t.amount * 0.03, 2),
           s.scheduled_at - (h.minutes || ' minutes')::interval
    FROM jsonb_to_recordset(?::jsonb) AS s(id uuid, scheduled_at timestamptz, status text, business_date date)
    CROSS JOIN jsonb_to_recordset(?::jsonb) AS v(id uuid, ventana_id uuid, banca_id uuid)
    CROSS JOIN generate_series(1, 3) AS g(n)
    CROSS JOIN LATERAL (SELECT ${sqlHash32(seed, 0)} AS pick, ${sqlHash32(seed, 1)} AS size,
                               ${sqlHash32(seed, 2)} % 100 AS fate, 5 + ${sqlHash32(seed, 3)} % 240 AS minutes) AS h
    CROSS JOIN LATERAL (SELECT (100 * (2 + h.size % 49))::numeric(14,2) AS amount,
                               CASE WHEN s.status = 'OPEN' THEN 'ACTIVE'
                                    WHEN h.fate < 3 THEN 'CANCELLED' WHEN h.fate = 3 THEN 'EXCLUDED'
                                    WHEN h.fate = 4 THEN 'PAID' ELSE 'EVALUATED' END AS status) AS t
    WHERE h.pick % 5 < 3
    ON CONFLICT (id) DO NOTHING
    `,
    [JSON.stringify(sold), vendedoresJson()],
  );
}

/**
 * Cash between the entities and the banca on each day: vendedores hand in collections most days and
 * are paid now and then (prizes they fronted); ventanas and bancas have a few of their own. About one
 * movement in forty was reversed.
 */
export async function insertDemoMovements(trx: Knex.Transaction, days: string[]): Promise<void> {
  const entities = [
    ...DEMO_VENDEDORES.map((v) => ({ vendedor_id: demoId(v.key), ventana_id: demoId(v.ventana), banca_id: demoId(v.banca), every: 2 })),
    ...DEMO_VENTANAS.map((v) => ({ vendedor_id: null, ventana_id: demoId(v.key), banca_id: demoId(v.banca), every: 5 })),
    ...DEMO_BANCAS.map((b) => ({ vendedor_id: null, ventana_id: null, banca_id: demoId(b.key), every: 9 })),
  ];
  const seed = `coalesce(e.vendedor_id, e.ventana_id, e.banca_id)::text || d.day::text || k.type`;
  await trx.raw(
    `
    INSERT INTO account_movements (id, vendedor_id, ventana_id, banca_id, date, type, amount, is_reversed)
    SELECT md5('banca-demo:movement:' || ${seed})::uuid, e.vendedor_id, e.ventana_id, e.banca_id, d.day::date, k.type,
           (CASE WHEN k.type = 'collection' THEN 5000 + 500 * (${sqlHash32(seed, 1)} % 40)
                 ELSE 1000 + 250 * (${sqlHash32(seed, 1)} % 20) END)::numeric(14,2),
           ${sqlHash32(seed, 2)} % 40 = 0
    FROM jsonb_to_recordset(?::jsonb) AS e(vendedor_id uuid, ventana_id uuid, banca_id uuid, every int)
    CROSS JOIN jsonb_array_elements_text(?::jsonb) AS d(day)
    CROSS JOIN (VALUES ('collection', 1), ('payment', 3)) AS k(type, rarity)
    WHERE ${sqlHash32(seed, 0)} % (e.every * k.rarity) = 0
    ON CONFLICT (id) DO NOTHING
    `,
    [JSON.stringify(entities), JSON.stringify(days)],
  );
}
