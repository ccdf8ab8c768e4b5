import { DomainError } from './domain-error';

/**
 * One page of a keyset-paged list (docs/architecture.md, HTTP): the items, and the cursor that
 * asks for the rows after the last one, null on the last page. A cursor names a position in the
 * list's order, not an offset, so rows inserted while a reader pages are neither repeated nor skipped.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** What a list's order is keyed on, field by field: each kind is checked when a cursor is read back. */
export type CursorField = 'instant' | 'integer' | 'uuid' | 'date' | 'text';
export type CursorKey = string | number;

const CURSOR_VERSION = 1;

/** An opaque, URL-safe cursor of the last row's keys. */
export function encodeCursor(keys: readonly CursorKey[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([CURSOR_VERSION, ...keys]));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The keys of a cursor made by {@link encodeCursor} for a list keyed on `fields`. Anything else (edited,
 * truncated, from another list) is refused as VALIDATION.INVALID_INPUT naming the `cursor` field.
 */
export function decodeCursor(cursor: string, fields: readonly CursorField[]): CursorKey[] {
  const keys = parse(cursor);
  if (keys === null || keys.length !== fields.length + 1 || keys[0] !== CURSOR_VERSION) throw invalidCursor(cursor);
  const values = keys.slice(1);
  fields.forEach((field, index) => {
    if (!FIELD_CHECKS[field](values[index])) throw invalidCursor(cursor);
  });
  return values as CursorKey[];
}

/** The page of `rows` fetched with one row more than `limit`: that extra row only says a next page exists. */
export function pageOf<Row, Item>(rows: readonly Row[], limit: number, keysOf: (row: Row) => readonly CursorKey[], toItem: (row: Row) => Item): Page<Item> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(toItem), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keysOf(last)) : null };
}

/** Refuses a page size outside 1..max (a caller bypassing the HTTP schema gets the same answer). */
export function assertPageLimit(limit: number, max = MAX_PAGE_LIMIT): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `limit must be an integer from 1 to ${max}`, { field: 'limit', value: limit });
  }
  return limit;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const FIELD_CHECKS: Readonly<Record<CursorField, (value: unknown) => boolean>> = {
  instant: (value) => typeof value === 'string' && ISO_INSTANT.test(value) && new Date(value).toISOString() === value,
  integer: (value) => typeof value === 'number' && Number.isSafeInteger(value),
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  date: (value) => typeof value === 'string' && ISO_DATE.test(value) && new Date(`${value}T00:00:00.000Z`).toISOString().startsWith(value),
  text: (value) => typeof value === 'string' && value.length <= 1000,
};

function parse(cursor: string): unknown[] | null {
  if (cursor.length === 0 || cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

const invalidCursor = (cursor: string): DomainError =>
  new DomainError('VALIDATION.INVALID_INPUT', 'cursor is not a cursor this list gave out', { field: 'cursor', value: cursor.slice(0, 100) });
