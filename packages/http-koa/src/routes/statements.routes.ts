import { readStatementChain, type ReadStatementChainOptions, type StatementChainReadRepository } from '@banca/domain/ports';
import { errorResponse } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import { STATEMENTS_PAGE, STATEMENTS_QUERY } from './statements.schemas';

/** What the statements route reads: one entity's chain. */
export interface StatementsOperations {
  statementChain: StatementChainReadRepository;
}

/** `GET /admin/statements`: one entity's statement chain over a date range, by date. */
export function statementsRoutes(operations: StatementsOperations): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/statements',
      operationId: 'readStatementChain',
      summary: "One entity's account statements over a date range, each with its place in the settlement chain",
      description: 'Keyset pages by date (`limit`, `cursor` from `nextCursor`); the first statement of a page is judged against the one before it, inside the range or not.',
      tags: ['admin: settlement'],
      auth: 'admin',
      query: STATEMENTS_QUERY,
      responses: {
        200: { description: 'A page of the chain', schema: STATEMENTS_PAGE },
        400: errorResponse('A bad date (TIME.INVALID_DATE), a range backwards or over 366 days (VALIDATION.INVALID_INPUT on `to`), or a bad filter, limit or cursor'),
        404: errorResponse('No entity of that dimension with this id (ENTITY.NOT_FOUND)'),
      },
      handler: async ({ query }) => ({ status: 200, body: await readStatementChain(operations, query as unknown as ReadStatementChainOptions) }),
    }),
  ];
}
