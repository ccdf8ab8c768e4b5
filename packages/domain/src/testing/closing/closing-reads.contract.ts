import { expect } from 'chai';
import type { ClosingEntry, ClosingListing, ClosingPosition } from '../../closing/closing-reads.ports';
import { positionOfEntry } from '../../closing/read-closings.use-case';
import type { ClosingReadsContractHarness } from './closing-reads-contract.harness';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const BANCA = id(1);
const GONE = id(99);

/**
 * A banca with four ventanas of March 2025, closed: names with a comma, quotes and accents, two
 * alike (so the entity id breaks the tie), amounts that sort differently as text and as numbers, and
 * an entity gone from the hierarchy (no name). February and the banca row are there to be left out.
 */
async function givenMarch(h: ClosingReadsContractHarness) {
  await h.givenBanca({ id: BANCA, name: 'Banca Central' });
  const names: Array<[number, string]> = [
    [11, 'Ávila, "La Suerte"'],
    [12, 'Zeta'],
    [13, 'Norte'],
    [14, 'Norte'],
  ];
  for (const [n, name] of names) await h.givenVentana({ id: id(n), bancaId: BANCA, name });
  const row = (n: number, openingBalance: string, totalSales: string, totalPaid = '0.00', ticketCount = 1) =>
    h.givenClosingRow({ month: '2025-03', dimension: 'ventana', entityId: id(n), bancaId: BANCA, openingBalance, totalSales, totalPaid, ticketCount, closedBy: 'ops' });
  await row(11, '0.10', '9.40'); // remaining 9.50
  await row(12, '-5.00', '0.00', '0.00', 0); // −5.00
  await row(13, '10.00', '0.00', '0.00', 2); // 10.00
  await row(14, '0.20', '0.00', '0.00', 0); // 0.20
  await h.givenClosingRow({ month: '2025-03', dimension: 'ventana', entityId: GONE, bancaId: BANCA, openingBalance: '1.00', ticketCount: 3, closedAt: new Date('2025-04-01T08:00:00Z') });
  await h.givenClosingRow({ month: '2025-03', dimension: 'banca', entityId: BANCA, bancaId: BANCA, openingBalance: '1000.00' });
  await h.givenClosingRow({ month: '2025-02', dimension: 'ventana', entityId: id(11), bancaId: BANCA, openingBalance: '77.00' });
}

const march = (sort: ClosingListing['sort'], order: ClosingListing['order'] = 'asc'): ClosingListing => ({ month: '2025-03', dimension: 'ventana', sort, order });
const ids = (rows: ClosingEntry[]) => rows.map((row) => row.entityId);

/** Every row of a listing, `size` at a time, each page after the last row of the one before. */
async function pageThrough(h: ClosingReadsContractHarness, listing: ClosingListing, size: number): Promise<ClosingEntry[]> {
  const all: ClosingEntry[] = [];
  let after: ClosingPosition | null = null;
  for (;;) {
    const page = await h.closingReads.listClosings(listing, after, size);
    all.push(...page);
    if (page.length < size) return all;
    after = positionOfEntry(listing.sort, page.at(-1)!);
  }
}

/**
 * The behaviour every ClosingReadRepository must show (in memory, PostgreSQL, PGlite). `makeHarness`
 * gives a fresh, empty store for each test.
 */
export function closingReadsContract(name: string, makeHarness: () => Promise<ClosingReadsContractHarness>): void {
  describe(`closing reads contract: ${name}`, () => {
    let h: ClosingReadsContractHarness;
    beforeEach(async () => {
      h = await makeHarness();
      await givenMarch(h);
    });
    afterEach(() => h.close());

    it('sums the whole month of a dimension exactly, and counts no entity where nothing was closed', async () => {
      expect(await h.closingReads.closingTotals('2025-03', 'ventana')).to.deep.equal({
        entities: 5, ticketCount: 6, totalSales: '9.40', totalPayouts: '0.00', totalCommissions: '0.00', netBalance: '9.40',
        totalPaid: '0.00', totalCollected: '0.00', openingBalance: '6.30', remainingBalance: '15.70',
      });
      expect(await h.closingReads.closingTotals('2025-04', 'ventana')).to.deep.include({ entities: 0, ticketCount: 0, remainingBalance: '0.00' });
      expect(await h.closingReads.closingTotals('2025-03', 'vendedor')).to.deep.include({ entities: 0 });
    });

    it('lists a month by name in code point order, the entity id breaking ties, a nameless entity first', async () => {
      const rows = await h.closingReads.listClosings(march('name'), null, 10);
      expect(rows.map((row) => row.entityName)).to.deep.equal([null, 'Norte', 'Norte', 'Zeta', 'Ávila, "La Suerte"']);
      expect(ids(rows)).to.deep.equal([GONE, id(13), id(14), id(12), id(11)]);
      expect(ids(await h.closingReads.listClosings(march('name', 'desc'), null, 10))).to.deep.equal([id(11), id(12), id(14), id(13), GONE]);
    });

    it('lists by remaining balance as numbers, and by entity id', async () => {
      expect(ids(await h.closingReads.listClosings(march('remainingBalance'), null, 10))).to.deep.equal([id(12), id(14), GONE, id(11), id(13)]);
      expect(ids(await h.closingReads.listClosings(march('remainingBalance', 'desc'), null, 10))).to.deep.equal([id(13), id(11), GONE, id(14), id(12)]);
      expect(ids(await h.closingReads.listClosings(march('entityId'), null, 10))).to.deep.equal([id(11), id(12), id(13), id(14), GONE]);
    });

    it('pages after a position, every row once whatever the page size', async () => {
      for (const listing of [march('name'), march('name', 'desc'), march('remainingBalance'), march('remainingBalance', 'desc'), march('entityId', 'desc')]) {
        const whole = ids(await h.closingReads.listClosings(listing, null, 10));
        for (const size of [1, 2, 3]) expect(ids(await pageThrough(h, listing, size)), `${listing.sort} ${listing.order} by ${size}`).to.deep.equal(whole);
      }
    });

    it('gives each row its figures, banca, closing time and closer', async () => {
      const [first] = await h.closingReads.listClosings(march('entityId'), null, 1);
      expect(first).to.deep.equal({
        entityId: id(11), entityName: 'Ávila, "La Suerte"', bancaId: BANCA, ticketCount: 1, totalSales: '9.40', totalPayouts: '0.00', totalCommissions: '0.00',
        netBalance: '9.40', totalPaid: '0.00', totalCollected: '0.00', openingBalance: '0.10', remainingBalance: '9.50',
        closedAt: new Date('2025-03-01T08:00:00.000Z'), closedBy: 'ops',
      });
    });

    it('streams the whole listing in its order, in batches of at most the size asked, and can be left midway', async () => {
      const batches: ClosingEntry[][] = [];
      for await (const batch of h.closingReads.streamClosings(march('name', 'desc'), 2)) batches.push(batch);
      expect(batches.map((batch) => batch.length)).to.deep.equal([2, 2, 1]);
      expect(batches.flat()).to.deep.equal(await h.closingReads.listClosings(march('name', 'desc'), null, 10));
      for await (const batch of h.closingReads.streamClosings(march('entityId'), 1)) {
        expect(ids(batch)).to.deep.equal([id(11)]);
        break;
      }
      let count = 0;
      for await (const batch of h.closingReads.streamClosings(march('entityId'), 500)) count += batch.length;
      expect(count, 'a stream left midway holds nothing back').to.equal(5);
      const none: ClosingEntry[][] = [];
      for await (const batch of h.closingReads.streamClosings({ ...march('name'), month: '2025-05' }, 10)) none.push(batch);
      expect(none.flat()).to.deep.equal([]);
    });
  });
}
