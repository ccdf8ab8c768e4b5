import { expect } from 'chai';
import { memoryLogger, reconcileMonth } from '@banca/domain/ports';
import { inMemoryReconciliationHarness, type ReconciliationContractHarness } from '@banca/domain/testing';
import { createHttpApp } from '../app';
import { signToken } from '../middleware/auth.middleware';
import { call, errorOf, serve, type TestServer } from '../testing/http-server.test-helpers';
import { reconciliationRoutes } from './reconciliation.routes';

const SECRET = 'reconciliation-routes-test-secret';

describe('GET /admin/reconciliation', () => {
  let server: TestServer;
  let books: ReconciliationContractHarness;
  let bancaId: string;
  const admin = signToken({ sub: 'ops-1', role: 'admin' }, SECRET);

  beforeEach(async () => {
    books = await inMemoryReconciliationHarness();
    bancaId = await books.givenBanca({ id: '00000000-0000-4000-8000-0000000000b1' });
    await books.givenClosingRow({ month: '2025-03', dimension: 'banca', entityId: bancaId, bancaId, openingBalance: '7.00' });
    const app = createHttpApp({
      routes: reconciliationRoutes({ reconcile: (options) => reconcileMonth({ reconciliation: books.reconciliation }, options) }),
      authSecret: SECRET,
      logger: memoryLogger(),
      validateResponses: true,
    });
    server = await serve(app);
  });
  afterEach(() => server.close());

  const get = (query: string, token = admin) => call(server.base, `/admin/reconciliation${query}`, { token });

  it('answers the month report with every discrepancy and its figures', async () => {
    const response = await get('?month=2025-03');
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({
      month: '2025-03', dimension: null, entityId: null, clean: false, total: 1, truncated: false,
      counts: { STATEMENT_CHAIN: 0, STATEMENT_MOVEMENTS: 0, CLOSING_OPENING: 1, CLOSING_TOTALS: 0 },
      discrepancies: [{ kind: 'CLOSING_OPENING', dimension: 'banca', entityId: bancaId, entityName: null, month: '2025-03', openingBalance: '7.00', previousRemaining: '0.00' }],
    });
    expect((await get('?month=2025-02')).body).to.deep.include({ clean: true, total: 0, discrepancies: [] });
    expect((await get(`?month=2025-03&dimension=vendedor&entityId=${bancaId}&limit=5`)).body).to.deep.include({ clean: true, dimension: 'vendedor' });
  });

  it('refuses bad input with 400 naming the field, and anyone but an admin', async () => {
    const cases: Array<[string, string, string]> = [
      ['', 'VALIDATION.INVALID_INPUT', 'month'],
      ['?month=2025-13', 'TIME.INVALID_MONTH', 'month'],
      ['?month=2025-03&dimension=vendor', 'VALIDATION.INVALID_INPUT', 'dimension'],
      ['?month=2025-03&entityId=42', 'VALIDATION.INVALID_INPUT', 'entityId'],
      ['?month=2025-03&entityId=00000000-0000-4000-8000-000000000001', 'VALIDATION.INVALID_INPUT', 'entityId'],
      ['?month=2025-03&limit=0', 'VALIDATION.INVALID_INPUT', 'limit'],
      ['?month=2025-03&limit=10000', 'VALIDATION.INVALID_INPUT', 'limit'],
      ['?month=2025-03&status=FAILED', 'VALIDATION.INVALID_INPUT', 'status'],
    ];
    for (const [query, code, field] of cases) {
      const response = await get(query);
      expect(response.status, query).to.equal(400);
      expect(errorOf(response), query).to.deep.include({ code });
      expect(errorOf(response).details, query).to.include({ field });
    }
    expect((await get('?month=2025-03', signToken({ sub: '00000000-0000-4000-8000-000000000009', role: 'guardian' }, SECRET))).status).to.equal(403);
    expect((await call(server.base, '/admin/reconciliation?month=2025-03')).status).to.equal(401);
  });
});
