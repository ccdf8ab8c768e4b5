import { expect } from 'chai';
import { errorOf, expectRefusals, type ReadApi, startReadApi, uuid } from './read-api.test-helpers';

const BANCA = uuid(1);
const MARCH = '/admin/closings?month=2025-03&dimension=ventana';

/** A ventana of BANCA named `name`, closed for March 2025 with an opening of `opening` (its remaining balance too). */
async function givenClosedVentana(api: ReadApi, n: number, name: string, opening: string): Promise<void> {
  await api.knex('ventanas').insert({ id: uuid(n), banca_id: BANCA, name });
  await api.knex('monthly_closing_balances').insert({
    closing_month: '2025-03', dimension: 'ventana', entity_id: uuid(n), banca_id: BANCA, ticket_count: 1,
    total_sales: '0.00', total_payouts: '0.00', total_commissions: '0.00', net_balance: '0.00', total_paid: '0.00', total_collected: '0.00',
    opening_balance: opening, remaining_balance: opening, closed_at: new Date('2025-04-01T08:00:00Z'), closed_by: 'ops',
  });
}

type Page = { items: Array<{ entityId: string; entityName: string; remainingBalance: string }>; nextCursor: string | null; totals: Record<string, unknown> };

describe('GET /admin/closings on real PostgreSQL', function () {
  this.timeout(120_000);
  let api: ReadApi;

  beforeEach(async () => {
    api = await startReadApi('closings');
    await api.knex('bancas').insert({ id: BANCA, name: 'Banca Central' });
    await givenClosedVentana(api, 11, 'Ávila, "La Suerte"', '9.50');
    await givenClosedVentana(api, 12, 'Zeta', '-5.00');
    await givenClosedVentana(api, 13, 'Norte', '10.00');
    await givenClosedVentana(api, 14, 'Norte', '0.25');
  });
  afterEach(() => api.close());

  it('pages the month by name with the whole month\'s totals on every page, then by remaining balance', async () => {
    const first = await api.get(`${MARCH}&limit=3`);
    expect(first.status, first.text).to.equal(200);
    const page = first.body as Page;
    expect(page).to.deep.include({ month: '2025-03', dimension: 'ventana', sort: 'name', order: 'asc' });
    expect(page.items.map((row) => row.entityName)).to.deep.equal(['Norte', 'Norte', 'Zeta']);
    expect(page.items.map((row) => row.entityId)).to.deep.equal([uuid(13), uuid(14), uuid(12)]);
    expect(page.items[0]).to.deep.include({ bancaId: BANCA, ticketCount: 1, openingBalance: '10.00', remainingBalance: '10.00', closedAt: '2025-04-01T08:00:00.000Z', closedBy: 'ops' });
    expect(page.totals).to.deep.include({ entities: 4, ticketCount: 4, remainingBalance: '14.75', openingBalance: '14.75' });
    const second = (await api.get(`${MARCH}&limit=3&cursor=${page.nextCursor}`)).body as Page;
    expect(second.items.map((row) => row.entityName)).to.deep.equal(['Ávila, "La Suerte"']);
    expect(second.nextCursor).to.equal(null);
    expect(second.totals).to.deep.equal(page.totals);
    const byBalance = (await api.get(`${MARCH}&sort=remainingBalance&order=desc`)).body as Page;
    expect(byBalance.items.map((row) => row.remainingBalance)).to.deep.equal(['10.00', '9.50', '0.25', '-5.00']);
  });

  it('pages through rows closed between page reads without repeating or skipping any', async () => {
    const first = (await api.get(`${MARCH}&limit=2`)).body as Page;
    expect(first.items.map((row) => row.entityId)).to.deep.equal([uuid(13), uuid(14)]);
    // One sorts before the cursor (already passed), one after it (still to come).
    await givenClosedVentana(api, 21, 'Alfa', '1.00');
    await givenClosedVentana(api, 22, 'Sur', '2.00');
    const seen = [...first.items.map((row) => row.entityId)];
    for (let cursor = first.nextCursor; cursor !== null; ) {
      const page = (await api.get(`${MARCH}&limit=2&cursor=${cursor}`)).body as Page;
      seen.push(...page.items.map((row) => row.entityId));
      cursor = page.nextCursor;
    }
    expect(seen).to.deep.equal([uuid(13), uuid(14), uuid(22), uuid(12), uuid(11)]);
    expect(new Set(seen).size).to.equal(seen.length);
  });

  it('answers 404 CLOSING.NOT_FOUND for a month or dimension nobody closed', async () => {
    for (const path of ['/admin/closings?month=2025-04&dimension=ventana', '/admin/closings?month=2025-03&dimension=vendedor']) {
      const answer = await api.get(path);
      expect(answer.status).to.equal(404);
      expect(errorOf(answer)).to.deep.include({ code: 'CLOSING.NOT_FOUND' });
    }
    expect((await api.get('/admin/closings?month=2025-04&dimension=ventana', { accept: 'text/csv' })).status).to.equal(404);
  });

  it('refuses bad input naming the field, and anyone but an admin', async () => {
    const { nextCursor } = (await api.get(`${MARCH}&limit=1`)).body as Page;
    await expectRefusals(api, [
      ['/admin/closings?dimension=ventana', 'VALIDATION.INVALID_INPUT', 'month'],
      ['/admin/closings?month=2025-13&dimension=ventana', 'TIME.INVALID_MONTH', 'month'],
      ['/admin/closings?month=2025-03', 'VALIDATION.INVALID_INPUT', 'dimension'],
      [`${MARCH}&sort=balance`, 'VALIDATION.INVALID_INPUT', 'sort'],
      [`${MARCH}&order=up`, 'VALIDATION.INVALID_INPUT', 'order'],
      [`${MARCH}&limit=0`, 'VALIDATION.INVALID_INPUT', 'limit'],
      [`${MARCH}&limit=10000`, 'VALIDATION.INVALID_INPUT', 'limit'],
      [`${MARCH}&cursor=bm90LWEtY3Vyc29y`, 'VALIDATION.INVALID_INPUT', 'cursor'],
      [`${MARCH}&sort=remainingBalance&cursor=${nextCursor}`, 'VALIDATION.INVALID_INPUT', 'cursor'],
      [`${MARCH}&banca=1`, 'VALIDATION.INVALID_INPUT', 'banca'],
    ]);
    expect((await api.get(MARCH, { token: api.guardian(uuid(5)) })).status).to.equal(403);
    expect((await api.get(MARCH, { token: null })).status).to.equal(401);
  });

  it('answers the whole month as RFC 4180 CSV with Accept: text/csv, in the same order, amounts as plain decimals', async () => {
    const answer = await api.get(`${MARCH}&sort=remainingBalance`, { accept: 'text/csv' });
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('content-type')).to.equal('text/csv; charset=utf-8; header=present');
    expect(answer.headers.get('content-disposition')).to.equal('attachment; filename="closings-2025-03-ventana.csv"');
    const figures = (opening: string) => `1,0.00,0.00,0.00,0.00,0.00,0.00,${opening},${opening},2025-04-01T08:00:00.000Z,ops`;
    expect(answer.text).to.equal(
      'month,dimension,entityId,entityName,bancaId,ticketCount,totalSales,totalPayouts,totalCommissions,netBalance,totalPaid,totalCollected,openingBalance,remainingBalance,closedAt,closedBy\r\n' +
        `2025-03,ventana,${uuid(12)},Zeta,${BANCA},${figures('-5.00')}\r\n` +
        `2025-03,ventana,${uuid(14)},Norte,${BANCA},${figures('0.25')}\r\n` +
        `2025-03,ventana,${uuid(11)},"Ávila, ""La Suerte""",${BANCA},${figures('9.50')}\r\n` +
        `2025-03,ventana,${uuid(13)},Norte,${BANCA},${figures('10.00')}\r\n`,
    );
    const refused = await api.get(`${MARCH}&limit=2`, { accept: 'text/csv' });
    expect(refused.status).to.equal(400);
    expect(errorOf(refused).details).to.include({ field: 'limit' });
    expect((await api.get(MARCH, { accept: 'application/xml' })).status).to.equal(406);
    const document = (await api.get('/openapi.json', { token: null })).body as { paths: Record<string, { get: { responses: Record<string, { content: object }> } }> };
    expect(Object.keys(document.paths['/admin/closings']!.get.responses['200']!.content)).to.deep.equal(['application/json', 'text/csv; charset=utf-8; header=present']);
  });

  describe('a large month', () => {
    const ROWS = 20_000;

    beforeEach(async () => {
      await api.knex.raw(
        `INSERT INTO ventanas (id, banca_id, name) SELECT md5('big:' || i)::uuid, ?, 'Ventana ' || lpad(i::text, 6, '0') FROM generate_series(1, ?) AS i`,
        [BANCA, ROWS],
      );
      await api.knex.raw(
        `INSERT INTO monthly_closing_balances (closing_month, dimension, entity_id, banca_id, ticket_count, total_sales, total_payouts, total_commissions,
           net_balance, total_paid, total_collected, opening_balance, remaining_balance)
         SELECT '2025-05', 'ventana', md5('big:' || i)::uuid, ?, 0, 0, 0, 0, 0, 0, 0, i / 100.0, i / 100.0 FROM generate_series(1, ?) AS i`,
        [BANCA, ROWS],
      );
    });

    /** Statements of the api process's pool still inside the export's transaction. */
    const exportsInFlight = async () =>
      Number(
        (
          await api.knex.raw(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%closings_export%' AND state <> 'idle'`,
          )
        ).rows[0].n,
      );
    const poolInUse = () => (api.database.knex.client as { pool: { numUsed(): number } }).pool.numUsed();

    it('streams every row, and releases its connection when done', async () => {
      const answer = await api.get('/admin/closings?month=2025-05&dimension=ventana&sort=entityId', { accept: 'text/csv' });
      expect(answer.status).to.equal(200);
      const lines = answer.text.split('\r\n');
      expect(lines).to.have.length(ROWS + 2);
      expect(lines.at(-1)).to.equal('');
      expect(poolInUse()).to.equal(0);
    });

    it('releases the database connection when the client goes away mid-download', async () => {
      const controller = new AbortController();
      const response = await fetch(`${api.base}/admin/closings?month=2025-05&dimension=ventana`, {
        headers: { authorization: `Bearer ${api.admin}`, accept: 'text/csv' },
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      expect(poolInUse(), 'the export holds its connection while it streams').to.equal(1);
      controller.abort();
      await until(async () => poolInUse() === 0 && (await exportsInFlight()) === 0);
      await until(async () => api.logger.entries.some((entry) => entry.action === 'HTTP_STREAM_ABORTED'));
      expect((await api.get('/admin/closings?month=2025-05&dimension=ventana&limit=1')).status, 'the pool serves on').to.equal(200);
    });

    it('cuts the download off, never ending it cleanly, when the database connection dies midway', async () => {
      const response = await fetch(`${api.base}/admin/closings?month=2025-05&dimension=ventana`, { headers: { authorization: `Bearer ${api.admin}`, accept: 'text/csv' } });
      const reader = response.body!.getReader();
      await reader.read();
      const killed = await api.knex.raw(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%closings_export%'`,
      );
      expect(killed.rows).to.have.length(1);
      let received = 0;
      const outcome = await (async () => {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return 'ended cleanly';
          received += chunk.value.length;
        }
      })().catch((error: unknown) => error);
      expect(outcome, `after ${received} more bytes`).to.be.instanceOf(Error);
      await until(async () => api.logger.entries.some((entry) => entry.action === 'HTTP_STREAM_FAILED'));
      await until(async () => poolInUse() === 0);
    });
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
