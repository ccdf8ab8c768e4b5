import { DomainError, parseIsoInstant } from '@banca/domain';
import { DEFAULT_PAGE_LIMIT, type CronRunQuery, type CronRunRecord, type CronRunStatus, type Page, type RunTrigger } from '@banca/domain/ports';
import { errorResponse } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import { RUN_ID_PARAMS, RUN_PAGE, RUN_VIEW, RUNS_QUERY } from './runs.schemas';

/** The run history's query, as the domain's repository takes it. */
export type RunListQuery = CronRunQuery;

/** What the run history routes read, role `admin`. */
export interface RunHistory {
  /** Throws VALIDATION.INVALID_INPUT naming `cursor` for a cursor this list did not give out. */
  listRuns(query: RunListQuery): Promise<Page<CronRunRecord>>;
  getRun(id: string): Promise<CronRunRecord | null>;
}

const TAGS = ['admin: runs'];

/** `GET /admin/runs` and `GET /admin/runs/:id`: the history of every job run (docs/architecture.md, Running the jobs). */
export function runsRoutes(history: RunHistory): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/runs',
      operationId: 'listRuns',
      summary: 'The run history, newest first',
      description:
        'Every run of every job, filtered by job, status, trigger and start time (`from` inclusive, `to` exclusive), newest first, ' +
        '`limit` per page; `nextCursor` asks for the next page, and paging stays exact while new runs are recorded.',
      tags: TAGS,
      auth: 'admin',
      query: RUNS_QUERY,
      responses: {
        200: { description: 'A page of runs', schema: RUN_PAGE },
        400: errorResponse('A filter, limit or cursor that is not valid (VALIDATION.INVALID_INPUT, TIME.INVALID_INSTANT), naming the field'),
      },
      handler: async ({ query }) => {
        const page = await history.listRuns(runListQuery(query));
        return { status: 200, body: { items: page.items.map(toRunView), nextCursor: page.nextCursor } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/runs/:id',
      operationId: 'getRun',
      summary: 'One run: its status (RUNNING while in progress), who started it, and what it did',
      tags: TAGS,
      auth: 'admin',
      params: RUN_ID_PARAMS,
      responses: {
        200: { description: 'The run', schema: RUN_VIEW },
        404: errorResponse('No such run (JOB.RUN_NOT_FOUND): never recorded, or removed by the retention of the nightly cleanup'),
      },
      handler: async ({ params }) => {
        const id = params['id']!;
        const run = await history.getRun(id);
        if (run === null) throw new DomainError('JOB.RUN_NOT_FOUND', `no run ${id}`, { id });
        return { status: 200, body: toRunView(run) };
      },
    }),
  ];
}

function runListQuery(query: Readonly<Record<string, unknown>>): RunListQuery {
  const from = instantFilter(query, 'from');
  const to = instantFilter(query, 'to');
  if (from && to && from.getTime() > to.getTime()) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'to must not be before from', { field: 'to', from: query['from'], to: query['to'] });
  }
  return {
    ...(query['job'] === undefined ? {} : { jobName: query['job'] as string }),
    ...(query['status'] === undefined ? {} : { status: query['status'] as CronRunStatus }),
    ...(query['trigger'] === undefined ? {} : { trigger: query['trigger'] as RunTrigger }),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    limit: (query['limit'] as number | undefined) ?? DEFAULT_PAGE_LIMIT,
    ...(query['cursor'] === undefined ? {} : { cursor: query['cursor'] as string }),
  };
}

const instantFilter = (query: Readonly<Record<string, unknown>>, field: string): Date | undefined =>
  query[field] === undefined ? undefined : parseIsoInstant(query[field], field);

/** The documented fields only: what an implementation adds never leaks into the API. */
export function toRunView(run: CronRunRecord) {
  return {
    id: run.id,
    job: run.jobName,
    status: run.status,
    trigger: run.trigger,
    triggeredBy: run.triggeredBy,
    processedCount: run.processedCount,
    errorMessage: run.errorMessage,
    summary: run.summary,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.finishedAt === null ? null : run.finishedAt.getTime() - run.startedAt.getTime(),
  };
}
