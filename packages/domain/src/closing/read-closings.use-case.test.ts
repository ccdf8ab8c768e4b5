import { expect } from 'chai';
import { expectDomainRejection } from '../kernel/domain-error.test-helpers';
import { inMemoryClosingReadsHarness } from '../testing/closing/in-memory-closing-reads';
import { exportClosings, listClosings } from './read-closings.use-case';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function books() {
  const h = await inMemoryClosingReadsHarness();
  await h.givenBanca({ id: id(1), name: 'Banca' });
  for (const n of [2, 3, 4]) {
    await h.givenVentana({ id: id(n), bancaId: id(1), name: `Ventana ${5 - n}` });
    await h.givenClosingRow({ month: '2025-03', dimension: 'ventana', entityId: id(n), bancaId: id(1), openingBalance: `${n}.00` });
  }
  return { closingReads: h.closingReads };
}

describe('listClosings and exportClosings', () => {
  it('pages a month by name with the totals of the whole month, and ends with a null cursor', async () => {
    const deps = await books();
    const first = await listClosings(deps, { month: '2025-03', dimension: 'ventana', limit: 2 });
    expect(first).to.deep.include({ month: '2025-03', dimension: 'ventana', sort: 'name', order: 'asc' });
    expect(first.totals).to.deep.include({ entities: 3, openingBalance: '9.00', remainingBalance: '9.00' });
    expect(first.items.map((item) => item.entityName)).to.deep.equal(['Ventana 1', 'Ventana 2']);
    expect(first.items[0]!.closedAt).to.equal('2025-03-01T08:00:00.000Z');
    const second = await listClosings(deps, { month: '2025-03', dimension: 'ventana', limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((item) => item.entityName)).to.deep.equal(['Ventana 3']);
    expect(second.nextCursor).to.equal(null);
  });

  it('answers CLOSING.NOT_FOUND for a month or dimension nobody closed, rather than an empty page', async () => {
    const deps = await books();
    await expectDomainRejection(listClosings(deps, { month: '2025-04', dimension: 'ventana' }), 'CLOSING.NOT_FOUND');
    await expectDomainRejection(listClosings(deps, { month: '2025-03', dimension: 'banca' }), 'CLOSING.NOT_FOUND');
    await expectDomainRejection(exportClosings(deps, { month: '2025-04', dimension: 'ventana' }), 'CLOSING.NOT_FOUND');
  });

  it("refuses bad input and another listing's cursor, naming the field", async () => {
    const deps = await books();
    const { nextCursor } = await listClosings(deps, { month: '2025-03', dimension: 'ventana', limit: 1 });
    const cases: Array<[Parameters<typeof listClosings>[1], string, string]> = [
      [{ month: '2025-13', dimension: 'ventana' }, 'TIME.INVALID_MONTH', 'month'],
      [{ month: '2025-03', dimension: 'vendor' }, 'VALIDATION.INVALID_INPUT', 'dimension'],
      [{ month: '2025-03', dimension: 'ventana', sort: 'balance' }, 'VALIDATION.INVALID_INPUT', 'sort'],
      [{ month: '2025-03', dimension: 'ventana', order: 'up' }, 'VALIDATION.INVALID_INPUT', 'order'],
      [{ month: '2025-03', dimension: 'ventana', limit: 0 }, 'VALIDATION.INVALID_INPUT', 'limit'],
      [{ month: '2025-03', dimension: 'ventana', cursor: 'not-a-cursor' }, 'VALIDATION.INVALID_INPUT', 'cursor'],
      [{ month: '2025-03', dimension: 'ventana', order: 'desc', cursor: nextCursor! }, 'VALIDATION.INVALID_INPUT', 'cursor'],
      [{ month: '2025-02', dimension: 'ventana', cursor: nextCursor! }, 'VALIDATION.INVALID_INPUT', 'cursor'],
      [{ month: '2025-03', dimension: 'ventana', sort: 'remainingBalance', cursor: nextCursor! }, 'VALIDATION.INVALID_INPUT', 'cursor'],
    ];
    for (const [options, code, field] of cases) {
      const error = await expectDomainRejection(listClosings(deps, options), code as 'VALIDATION.INVALID_INPUT');
      expect(error.details?.['field'], JSON.stringify(options)).to.equal(field);
    }
  });

  it('exports every row in the listing order, as the page views', async () => {
    const deps = await books();
    const { batches, totals } = await exportClosings(deps, { month: '2025-03', dimension: 'ventana', sort: 'remainingBalance', order: 'desc' });
    const rows = [];
    for await (const batch of batches) rows.push(...batch);
    expect(totals.entities).to.equal(3);
    expect(rows.map((row) => row.remainingBalance)).to.deep.equal(['4.00', '3.00', '2.00']);
    expect(rows[0]!.closedAt).to.equal('2025-03-01T08:00:00.000Z');
  });
});
