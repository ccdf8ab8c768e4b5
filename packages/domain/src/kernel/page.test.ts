import { expect } from 'chai';
import fc from 'fast-check';
import { expectDomainError } from './domain-error.test-helpers';
import { assertPageLimit, decodeCursor, encodeCursor, MAX_PAGE_LIMIT, pageOf } from './page';

describe('page cursors', () => {
  it('give back the keys they were made of, checked field by field', () => {
    const keys = ['2026-11-27T08:00:00.000Z', 42, '0b6f7f8e-3c1d-4d1e-9f0a-1b2c3d4e5f60', '2025-02-28', 'Peñas Blancas'];
    const cursor = encodeCursor(keys);
    expect(cursor).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['instant', 'integer', 'uuid', 'date', 'text'])).to.deep.equal(keys);
  });

  it('round-trip any text and integer keys', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer(), (text, integer) => {
        expect(decodeCursor(encodeCursor([text, integer]), ['text', 'integer'])).to.deep.equal([text, integer]);
      }),
    );
  });

  for (const [label, cursor] of [
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', encodeText('{nope')],
    ['not a list', encodeText('{"a":1}')],
    ['another version', encodeText('[2,"2026-11-27T08:00:00.000Z",1]')],
    ['too few keys', encodeCursor(['2026-11-27T08:00:00.000Z'])],
    ['too many keys', encodeCursor(['2026-11-27T08:00:00.000Z', 1, 2])],
    ['an instant that is not one', encodeCursor(['2026-02-30T08:00:00.000Z', 1])],
    ['an integer as text', encodeCursor(['2026-11-27T08:00:00.000Z', '1'])],
    ['an unsafe integer', encodeCursor(['2026-11-27T08:00:00.000Z', 2 ** 60])],
    ['overlong', 'A'.repeat(3000)],
  ] as const) {
    it(`refuse a cursor that is ${label}, naming the field`, () => {
      const error = expectDomainError(() => decodeCursor(cursor, ['instant', 'integer']), 'VALIDATION.INVALID_INPUT');
      expect(error.details?.['field']).to.equal('cursor');
    });
  }

  it('page rows fetched one past the limit, with a cursor only when more follow', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const full = pageOf(rows, 2, (row) => [row.id], (row) => row.id);
    expect(full.items).to.deep.equal([1, 2]);
    expect(decodeCursor(full.nextCursor!, ['integer'])).to.deep.equal([2]);
    expect(pageOf(rows, 3, (row) => [row.id], (row) => row.id)).to.deep.equal({ items: [1, 2, 3], nextCursor: null });
  });

  it('accept limits from 1 to the maximum only', () => {
    expect(assertPageLimit(1)).to.equal(1);
    expect(assertPageLimit(MAX_PAGE_LIMIT)).to.equal(MAX_PAGE_LIMIT);
    for (const limit of [0, -1, 1.5, MAX_PAGE_LIMIT + 1, Number.NaN]) {
      expect(expectDomainError(() => assertPageLimit(limit), 'VALIDATION.INVALID_INPUT').details?.['field']).to.equal('limit');
    }
  });
});

function encodeText(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
