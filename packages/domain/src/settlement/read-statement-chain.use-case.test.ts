import { expect } from 'chai';
import { expectDomainRejection } from '../kernel/domain-error.test-helpers';
import { inMemoryStatementChainHarness } from '../testing/settlement/in-memory-statement-chain-reads';
import { readStatementChain } from './read-statement-chain.use-case';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const BANCA = id(1);

async function chain() {
  const h = await inMemoryStatementChainHarness();
  await h.givenBanca({ id: BANCA, name: 'Banca Central' });
  const settled = { isSettled: true, settledAt: new Date('2025-03-10T03:00:00Z'), settledBy: 'ops' };
  await h.givenStatement({ bancaId: BANCA, date: '2025-02-28', ticketCount: 1, totalSales: '50.00', ...settled });
  await h.givenStatement({ bancaId: BANCA, date: '2025-03-01', ticketCount: 1, totalSales: '10.00', remainingBalance: '60.00', ...settled });
  await h.givenStatement({ bancaId: BANCA, date: '2025-03-02', remainingBalance: '61.00' });
  await h.givenStatement({ bancaId: BANCA, date: '2025-03-03', ticketCount: 2, totalSales: '5.00', remainingBalance: '1.00' });
  return { statementChain: h.statementChain };
}

const base = { dimension: 'banca', entityId: BANCA, from: '2025-03-01', to: '2025-03-31' };

describe('readStatementChain', () => {
  it("shows each statement's place in the chain with the domain's rule, the statement before the range included", async () => {
    const page = await readStatementChain(await chain(), base);
    expect(page).to.deep.include({ dimension: 'banca', entityId: BANCA, entityName: 'Banca Central', from: '2025-03-01', to: '2025-03-31', nextCursor: null });
    expect(page.items.map(({ date, settled, chain: status, expectedRemaining }) => ({ date, settled, status, expectedRemaining }))).to.deep.equal([
      { date: '2025-03-01', settled: true, status: 'chained', expectedRemaining: '60.00' },
      { date: '2025-03-02', settled: false, status: 'broken', expectedRemaining: '60.00' },
      { date: '2025-03-03', settled: false, status: 'provisional', expectedRemaining: '66.00' },
    ]);
    expect(page.items[0]!.settledAt).to.equal('2025-03-10T03:00:00.000Z');
  });

  it('pages by date', async () => {
    const deps = await chain();
    const first = await readStatementChain(deps, { ...base, limit: 2 });
    expect(first.items.map((item) => item.date)).to.deep.equal(['2025-03-01', '2025-03-02']);
    const second = await readStatementChain(deps, { ...base, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((item) => item.date)).to.deep.equal(['2025-03-03']);
    expect(second.nextCursor).to.equal(null);
    const error = await expectDomainRejection(readStatementChain(deps, { ...base, to: '2025-03-30', cursor: first.nextCursor! }), 'VALIDATION.INVALID_INPUT');
    expect(error.details).to.include({ field: 'cursor' });
  });

  it('refuses a bad range precisely, and an entity that is not of that dimension', async () => {
    const deps = await chain();
    const cases: Array<[Partial<typeof base>, string, string]> = [
      [{ from: '2025-02-30' }, 'TIME.INVALID_DATE', 'from'],
      [{ to: '2025-3-31' }, 'TIME.INVALID_DATE', 'to'],
      [{ to: '2025-02-28' }, 'VALIDATION.INVALID_INPUT', 'to'],
      [{ from: '2024-01-01', to: '2025-01-01' }, 'VALIDATION.INVALID_INPUT', 'to'],
      [{ dimension: 'vendor' }, 'VALIDATION.INVALID_INPUT', 'dimension'],
    ];
    for (const [overrides, code, field] of cases) {
      const error = await expectDomainRejection(readStatementChain(deps, { ...base, ...overrides }), code as 'VALIDATION.INVALID_INPUT');
      expect(error.details?.['field'], JSON.stringify(overrides)).to.equal(field);
    }
    expect((await readStatementChain(deps, { ...base, from: '2024-01-01', to: '2024-12-31' })).items, 'a leap year, 366 days, is one range').to.deep.equal([]);
    await expectDomainRejection(readStatementChain(deps, { ...base, dimension: 'ventana' }), 'ENTITY.NOT_FOUND');
  });
});
