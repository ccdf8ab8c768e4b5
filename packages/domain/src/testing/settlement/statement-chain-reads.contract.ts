import { expect } from 'chai';
import type { StatementChainEntry, StatementChainQuery, StatementChainReadRepository } from '../../settlement/statement-chain-reads.ports';
import type { BancaFixtures } from './banca-fixtures';
import type { GivenStatement } from './settlement-contract.harness';

/** What an adapter hands the statement-chain contract: its port over an empty store, and writers of what it reads. */
export interface StatementChainContractHarness extends BancaFixtures {
  statementChain: StatementChainReadRepository;
  givenStatement(input: GivenStatement): Promise<string>;
  close(): Promise<void>;
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [BANCA, VENTANA, VENDEDOR, OTHER] = [id(1), id(2), id(3), id(4)];

/**
 * The behaviour every StatementChainReadRepository must show (in memory, PostgreSQL, PGlite).
 * `makeHarness` gives a fresh, empty store for each test.
 */
export function statementChainReadsContract(name: string, makeHarness: () => Promise<StatementChainContractHarness>): void {
  describe(`statement chain reads contract: ${name}`, () => {
    let h: StatementChainContractHarness;
    beforeEach(async () => {
      h = await makeHarness();
      await h.givenBanca({ id: BANCA, name: 'Banca Central' });
      await h.givenVentana({ id: VENTANA, bancaId: BANCA, name: 'Ventana Norte' });
      await h.givenVendedor({ id: VENDEDOR, ventanaId: VENTANA, bancaId: BANCA, name: 'José Pérez' });
      await h.givenVendedor({ id: OTHER, ventanaId: VENTANA, bancaId: BANCA, name: 'Ana' });
      const vendedor = { vendedorId: VENDEDOR, ventanaId: VENTANA, bancaId: BANCA };
      await h.givenStatement({ ...vendedor, date: '2025-02-27', ticketCount: 1, totalSales: '100.00', totalCommissions: '10.00', totalCollected: '50.00', isSettled: true, settledAt: new Date('2025-03-07T03:00:00Z'), settledBy: 'ops' });
      await h.givenStatement({ ...vendedor, date: '2025-03-02', ticketCount: 2, totalSales: '30.00', totalPayouts: '40.00', remainingBalance: '30.00' });
      await h.givenStatement({ ...vendedor, date: '2025-03-01', remainingBalance: '40.00' });
      await h.givenStatement({ ...vendedor, date: '2025-03-05', totalPaid: '5.00', remainingBalance: '99.00' });
      await h.givenStatement({ vendedorId: OTHER, ventanaId: VENTANA, bancaId: BANCA, date: '2025-03-01', ticketCount: 1, totalSales: '7.00' });
      await h.givenStatement({ ventanaId: VENTANA, bancaId: BANCA, date: '2025-03-01', ticketCount: 1, totalSales: '8.00' });
    });
    afterEach(() => h.close());

    const query = (overrides: Partial<StatementChainQuery> = {}): StatementChainQuery => ({
      dimension: 'vendedor', entityId: VENDEDOR, from: '2025-03-01', to: '2025-03-31', afterDate: null, limit: 10, ...overrides,
    });
    const dates = (rows: StatementChainEntry[]) => rows.map((row) => row.date);

    it('finds an entity of its own dimension only', async () => {
      expect(await h.statementChain.findEntity('vendedor', VENDEDOR)).to.deep.equal({ name: 'José Pérez' });
      expect(await h.statementChain.findEntity('ventana', VENTANA)).to.deep.equal({ name: 'Ventana Norte' });
      expect(await h.statementChain.findEntity('banca', BANCA)).to.deep.equal({ name: 'Banca Central' });
      expect(await h.statementChain.findEntity('ventana', VENDEDOR)).to.equal(null);
      expect(await h.statementChain.findEntity('vendedor', id(999))).to.equal(null);
    });

    it("reads the entity's own statements of the range in date order, each with the remaining balance before it", async () => {
      const rows = await h.statementChain.statementChain(query());
      expect(dates(rows)).to.deep.equal(['2025-03-01', '2025-03-02', '2025-03-05']);
      expect(rows.map((row) => row.previousRemaining)).to.deep.equal(['40.00', '40.00', '30.00']);
      expect(rows[1]).to.deep.equal({
        date: '2025-03-02', ticketCount: 2, totalSales: '30.00', totalPayouts: '40.00', totalCommissions: '0.00', balance: '-10.00',
        totalPaid: '0.00', totalCollected: '0.00', remainingBalance: '30.00', isSettled: false, settledAt: null, settledBy: null, previousRemaining: '40.00',
      });
      const [first] = await h.statementChain.statementChain(query({ from: '2025-02-01' }));
      expect(first).to.deep.include({ date: '2025-02-27', previousRemaining: null, isSettled: true, settledBy: 'ops', remainingBalance: '40.00' });
      expect(first!.settledAt?.toISOString()).to.equal('2025-03-07T03:00:00.000Z');
      expect(dates(await h.statementChain.statementChain(query({ dimension: 'ventana', entityId: VENTANA })))).to.deep.equal(['2025-03-01']);
    });

    it('pages after a date, and keeps to the range', async () => {
      expect(dates(await h.statementChain.statementChain(query({ limit: 2 })))).to.deep.equal(['2025-03-01', '2025-03-02']);
      expect(dates(await h.statementChain.statementChain(query({ afterDate: '2025-03-02' })))).to.deep.equal(['2025-03-05']);
      expect(dates(await h.statementChain.statementChain(query({ from: '2025-03-02', to: '2025-03-04' })))).to.deep.equal(['2025-03-02']);
      expect(await h.statementChain.statementChain(query({ entityId: id(999) }))).to.deep.equal([]);
    });
  });
}
