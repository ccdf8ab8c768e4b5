import { exportClosings, listClosings, type ClosingReadRepository, type ClosingView } from '@banca/domain/ports';
import { HttpError } from '../http-error';
import { errorResponse } from '../routing/http-schemas';
import { defineRoute, type RouteSpec, typeOfMediaType } from '../routing/route-spec';
import { CLOSINGS_CSV_COLUMNS, CLOSINGS_PAGE, CLOSINGS_QUERY, CSV_MEDIA_TYPE } from './closings.schemas';
import { csvField, csvLine, streamCsv } from './csv-stream';

/** What the closings route reads: the month balances with their entities' names. */
export interface ClosingsOperations {
  closingReads: ClosingReadRepository;
}

const TEXT_COLUMNS = new Set<string>(['entityName', 'closedBy']);

/**
 * `GET /admin/closings`: a month's closing rows of one dimension, a page at a time with the month's
 * totals, or the whole month as CSV (`Accept: text/csv`), streamed from the database a batch at a time.
 */
export function closingsRoutes(operations: ClosingsOperations): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/closings',
      operationId: 'listClosings',
      summary: "A month's closing balances of one dimension, with entity names and the month's totals",
      description:
        'Keyset pages (`limit`, `cursor` from `nextCursor`); `totals` sums the whole month of the dimension, not the page. ' +
        'A month with no closing of the dimension is 404 CLOSING.NOT_FOUND, not an empty page. ' +
        'With `Accept: text/csv` the answer is the whole month as CSV (RFC 4180, a header line, CRLF, amounts as plain decimals, ' +
        'no totals line), streamed in the same order; `limit` and `cursor` do not apply to it. A CSV cut off midway ends the ' +
        'connection without its last chunk, so it never reads as a whole file.',
      tags: ['admin: settlement'],
      auth: 'admin',
      query: CLOSINGS_QUERY,
      responses: {
        200: {
          description: 'A page of the month, with its totals',
          schema: CLOSINGS_PAGE,
          alternatives: [{ mediaType: CSV_MEDIA_TYPE, description: `every row of the month, columns ${CLOSINGS_CSV_COLUMNS.join(', ')}` }],
        },
        400: errorResponse('A bad month (TIME.INVALID_MONTH), filter, sort, limit or cursor (VALIDATION.INVALID_INPUT)'),
        404: errorResponse('Nothing of this dimension closed for the month (CLOSING.NOT_FOUND)'),
      },
      handler: async ({ query, mediaType }) => {
        const options = query as { month: string; dimension: string; sort?: string; order?: string; limit?: number; cursor?: string };
        if (typeOfMediaType(mediaType) !== 'text/csv') return { status: 200, body: await listClosings(operations, options) };
        for (const field of ['limit', 'cursor'] as const) {
          if (options[field] !== undefined) {
            throw new HttpError(400, 'VALIDATION.INVALID_INPUT', `${field} does not apply to the CSV, which holds the whole month`, { field, reason: 'does not apply to text/csv' });
          }
        }
        const { listing, batches } = await exportClosings(operations, options);
        const line = (row: ClosingView) =>
          csvLine(
            CLOSINGS_CSV_COLUMNS.map((column) =>
              column === 'month' ? listing.month : column === 'dimension' ? listing.dimension : csvField(row[column as Exclude<typeof column, 'month' | 'dimension'>], { text: TEXT_COLUMNS.has(column) }),
            ),
          );
        return {
          status: 200,
          body: await streamCsv(CLOSINGS_CSV_COLUMNS, batches, line),
          headers: { 'Content-Disposition': `attachment; filename="closings-${listing.month}-${listing.dimension}.csv"` },
        };
      },
    }),
  ];
}
