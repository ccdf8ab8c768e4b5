import { Readable } from 'node:stream';

export type CsvValue = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;
// A cell a spreadsheet would run as a formula (=, +, -, @, a tab or carriage return first).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, quotes
 * doubled; null is empty. Text that a spreadsheet would take for a formula gets a leading `'`
 * (`text: true` fields only: names and users, never amounts, whose minus sign is theirs).
 */
export function csvField(value: CsvValue, options: { text?: boolean } = {}): string {
  if (value === null) return '';
  let field = String(value);
  if (options.text === true && FORMULA_START.test(field)) field = `'${field}`;
  return NEEDS_QUOTES.test(field) || field !== field.trim() ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Lines end with CRLF, as RFC 4180 has it. */
export const csvLine = (fields: readonly string[]): string => `${fields.join(',')}\r\n`;

/**
 * A CSV answer of `batches`: the header line, then each batch as it comes. The first batch is read
 * before this resolves, so a failure to start is still an ordinary error answer (a status, not a cut
 * connection). The stream pulls a batch only when the client has taken the one before, so it holds
 * one batch at a time; destroying it (the client went away, or the answer was refused) ends the
 * iteration, which releases what the source holds.
 */
export async function streamCsv<T>(header: readonly string[], batches: AsyncIterable<T[]>, toLine: (row: T) => string): Promise<Readable> {
  const iterator = batches[Symbol.asyncIterator]();
  let pending: IteratorResult<T[]> | undefined = await iterator.next();
  let head = csvLine(header.map((name) => csvField(name)));
  return new Readable({
    read() {
      const next = pending !== undefined ? Promise.resolve(pending) : iterator.next();
      pending = undefined;
      next.then(
        (result) => {
          if (result.done) {
            if (head !== '') this.push(head);
            this.push(null);
            return;
          }
          this.push(head + result.value.map(toLine).join(''));
          head = '';
        },
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
    destroy(error, callback) {
      const release = iterator.return?.() ?? Promise.resolve();
      Promise.resolve(release).then(
        () => callback(error),
        (releaseError: unknown) => callback(error ?? (releaseError as Error)),
      );
    },
  });
}
