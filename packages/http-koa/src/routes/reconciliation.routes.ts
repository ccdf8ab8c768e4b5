import type { AccountDimension } from '@banca/domain';
import type { ReconciliationReport } from '@banca/domain/ports';
import { errorResponse } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import { RECONCILIATION_QUERY, RECONCILIATION_REPORT } from './reconciliation.schemas';

export interface ReconciliationQueryOptions {
  month: string;
  dimension?: AccountDimension;
  entityId?: string;
  limit?: number;
}

/** What the reconciliation route needs: the read of the books, role `admin`. */
export interface ReconciliationOperations {
  /** Throws TIME.INVALID_MONTH or VALIDATION.INVALID_INPUT for bad input; reads only. */
  reconcile(options: ReconciliationQueryOptions): Promise<ReconciliationReport>;
}

/** `GET /admin/reconciliation`: a month's discrepancies between statements, movements and month balances. */
export function reconciliationRoutes(operations: ReconciliationOperations): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/reconciliation',
      operationId: 'reconcileMonth',
      summary: "A month's discrepancies between the statement chain, the movements and the month balances",
      description:
        'Read-only. `clean` is true when the four kinds of discrepancy are all absent: a settled or carried-forward statement off the chain ' +
        '(STATEMENT_CHAIN), a settled day whose paid or collected are not its movements (STATEMENT_MOVEMENTS), a month balance that does not ' +
        "open with the previous month's remaining (CLOSING_OPENING), a month balance whose figures are not the sum of its statements (CLOSING_TOTALS).",
      tags: ['admin: settlement'],
      auth: 'admin',
      query: RECONCILIATION_QUERY,
      responses: {
        200: { description: 'The discrepancies, at most `limit`, and how many of each kind there are', schema: RECONCILIATION_REPORT },
        400: errorResponse('A bad month (TIME.INVALID_MONTH) or filter (VALIDATION.INVALID_INPUT)'),
      },
      handler: async ({ query }) => ({ status: 200, body: await operations.reconcile(query as unknown as ReconciliationQueryOptions) }),
    }),
  ];
}
