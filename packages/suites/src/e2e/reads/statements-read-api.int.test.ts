import { expect } from 'chai';
import { errorOf, expectRefusals, type ReadApi, startReadApi, uuid } from './read-api.test-helpers';

const [BANCA, VENTANA, VENDEDOR] = [uuid(1), uuid(2), uuid(3)];
const CHAIN = `/admin/statements?dimension=vendedor&entityId=${VENDEDOR}&from=2025-03-01&to=2025-03-31`;

type Page = { items: Array<{ date: string; chain: string; settled: boolean; remainingBalance: string; expectedRemaining: string }>; nextCursor: string | null };

describe('GET /admin/statements on real PostgreSQL', function () {
  this.timeout(60_000);
  let api: ReadApi;

  /** A statement of the vendedor; remaining defaults to what the chain from 0 gives for the figures alone. */
  const statement = (date: string, figures: Record<string, unknown> = {}) =>
    api.knex('account_statements').insert({ vendedor_id: VENDEDOR, ventana_id: VENTANA, banca_id: BANCA, date, ...figures });

  beforeEach(async () => {
    api = await startReadApi('statements');
    await api.knex('bancas').insert({ id: BANCA, name: 'Banca Central' });
    await api.knex('ventanas').insert({ id: VENTANA, banca_id: BANCA, name: 'Norte' });
    await api.knex('vendedores').insert({ id: VENDEDOR, ventana_id: VENTANA, banca_id: BANCA, name: 'José Pérez' });
    const settled = { is_settled: true, can_edit: false, settled_at: new Date('2025-03-10T03:00:00Z'), settled_by: 'ops' };
    await statement('2025-02-28', { ticket_count: 1, total_sales: '50.00', balance: '50.00', remaining_balance: '50.00', ...settled });
    await statement('2025-03-01', { ticket_count: 1, total_sales: '10.00', balance: '10.00', remaining_balance: '60.00', ...settled });
    await statement('2025-03-02', { remaining_balance: '61.00' });
    await statement('2025-03-03', { ticket_count: 2, total_sales: '5.00', balance: '5.00', remaining_balance: '1.00' });
  });
  afterEach(() => api.close());

  it("reads one entity's chain with each statement's figures, settled flag and place in the chain", async () => {
    const answer = await api.get(CHAIN);
    expect(answer.status, answer.text).to.equal(200);
    const page = answer.body as Page & Record<string, unknown>;
    expect(page).to.deep.include({ dimension: 'vendedor', entityId: VENDEDOR, entityName: 'José Pérez', from: '2025-03-01', to: '2025-03-31', nextCursor: null });
    expect(page.items[0]).to.deep.equal({
      date: '2025-03-01', ticketCount: 1, totalSales: '10.00', totalPayouts: '0.00', totalCommissions: '0.00', balance: '10.00', totalPaid: '0.00',
      totalCollected: '0.00', remainingBalance: '60.00', settled: true, settledAt: '2025-03-10T03:00:00.000Z', settledBy: 'ops', chain: 'chained', expectedRemaining: '60.00',
    });
    expect(page.items.map(({ date, chain, expectedRemaining }) => [date, chain, expectedRemaining])).to.deep.equal([
      ['2025-03-01', 'chained', '60.00'],
      ['2025-03-02', 'broken', '60.00'],
      ['2025-03-03', 'provisional', '66.00'],
    ]);
  });

  it('pages by date, statements written between page reads neither repeated nor skipped', async () => {
    const first = (await api.get(`${CHAIN}&limit=2`)).body as Page;
    expect(first.items.map((item) => item.date)).to.deep.equal(['2025-03-01', '2025-03-02']);
    await statement('2025-03-15', { remaining_balance: '1.00' });
    await api.knex('account_statements').insert({ ventana_id: VENTANA, banca_id: BANCA, date: '2025-03-04' });
    const second = (await api.get(`${CHAIN}&limit=2&cursor=${first.nextCursor}`)).body as Page;
    expect(second.items.map((item) => item.date)).to.deep.equal(['2025-03-03', '2025-03-15']);
    expect(second.items[1]).to.deep.include({ chain: 'chained', expectedRemaining: '1.00' });
    expect(second.nextCursor).to.equal(null);
  });

  it('refuses a bad range precisely, an entity not of that dimension, and anyone but an admin', async () => {
    const base = `/admin/statements?dimension=vendedor&entityId=${VENDEDOR}`;
    await expectRefusals(api, [
      [`${base}&from=2025-03-01`, 'VALIDATION.INVALID_INPUT', 'to'],
      [`${base}&from=2025-02-30&to=2025-03-31`, 'TIME.INVALID_DATE', 'from'],
      [`${base}&from=2025-03-01&to=2025-3-31`, 'TIME.INVALID_DATE', 'to'],
      [`${base}&from=2025-03-31&to=2025-03-01`, 'VALIDATION.INVALID_INPUT', 'to'],
      [`${base}&from=2024-01-01&to=2025-01-01`, 'VALIDATION.INVALID_INPUT', 'to'],
      [`/admin/statements?dimension=vendor&entityId=${VENDEDOR}&from=2025-03-01&to=2025-03-31`, 'VALIDATION.INVALID_INPUT', 'dimension'],
      [`/admin/statements?dimension=vendedor&entityId=42&from=2025-03-01&to=2025-03-31`, 'VALIDATION.INVALID_INPUT', 'entityId'],
      [`${CHAIN}&limit=501`, 'VALIDATION.INVALID_INPUT', 'limit'],
      [`${CHAIN}&cursor=xyz`, 'VALIDATION.INVALID_INPUT', 'cursor'],
    ]);
    expect((await api.get(`${base}&from=2024-01-01&to=2024-12-31`)).status, 'a leap year is one range').to.equal(200);
    const wrongDimension = await api.get(`/admin/statements?dimension=ventana&entityId=${VENDEDOR}&from=2025-03-01&to=2025-03-31`);
    expect(wrongDimension.status).to.equal(404);
    expect(errorOf(wrongDimension).code).to.equal('ENTITY.NOT_FOUND');
    expect((await api.get(CHAIN, { token: api.guardian(uuid(5)) })).status).to.equal(403);
    expect((await api.get(CHAIN, { token: null })).status).to.equal(401);
  });
});
