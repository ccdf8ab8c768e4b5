import { expect } from 'chai';
import { KnexCronRunRepository } from '@banca/adapters-postgres';
import { eventually } from '../allowance/allowance-world.test-helpers';
import { ADMIN_USER, errorCodeOf, errorFieldOf, useAdminApiWorlds, type AdminApiWorld } from './admin-api-world.test-helpers';

interface RunView {
  id: string;
  job: string;
  status: string;
  trigger: string | null;
  triggeredBy: string | null;
  processedCount: number;
  summary: Record<string, unknown> | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}
interface RunPage {
  items: RunView[];
  nextCursor: string | null;
}

const runOf = async (world: AdminApiWorld, id: string) => (await world.call('GET', `/admin/runs/${id}`)).body as RunView;

/** Every page of `/admin/runs?query`, calling `between` after each page. */
async function readPages(world: AdminApiWorld, query: string, between: () => Promise<void> = async () => {}): Promise<RunView[]> {
  const seen: RunView[] = [];
  let cursor: string | null = null;
  do {
    const answer = await world.call('GET', `/admin/runs?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(answer.status, answer.text).to.equal(200);
    const page = answer.body as RunPage;
    seen.push(...page.items);
    cursor = page.nextCursor;
    await between();
  } while (cursor !== null);
  return seen;
}

describe('admin API on real PostgreSQL: the run history', () => {
  const worlds = useAdminApiWorlds();

  it('keeps each triggered run with who started it and what it did, the same summary the trigger answered', async () => {
    const world = await worlds.open('runs_trigger');
    const answer = await world.call('POST', '/admin/jobs/sorteos.auto-open/trigger');
    expect(answer.status, answer.text).to.equal(200);
    const { runId, summary } = answer.body as { runId: string; summary: Record<string, unknown> };
    const run = await runOf(world, runId);
    expect(run).to.deep.include({ id: runId, job: 'sorteos.auto-open', status: 'SUCCESS', trigger: 'manual', triggeredBy: ADMIN_USER });
    expect(run.summary).to.deep.equal(summary);
    expect(run.durationMs).to.equal(new Date(run.finishedAt!).getTime() - new Date(run.startedAt).getTime());

    const metrics = (await world.call('GET', '/metrics', { anonymous: true })).text;
    expect(metrics).to.include(`banca_job_last_run_start_timestamp_seconds{job="sorteos.auto-open"} ${Date.parse(run.startedAt) / 1000}`);
    expect(metrics).to.include(`banca_job_last_success_timestamp_seconds{job="sorteos.auto-open"} ${Date.parse(run.finishedAt!) / 1000}`);
    expect(metrics).to.include('banca_job_overdue_seconds{job="sorteos.auto-open"} 0');
    expect(metrics).to.match(/banca_job_runs_total\{job="sorteos.auto-open",status="SUCCESS"\} 1/);
  });

  it('answers a trigger with wait: false at once (202); the run shows RUNNING in runs and jobs until it ends', async () => {
    const world = await worlds.open('runs_async');
    // Holding the activity log table makes the cleanup's delete wait, so the run is caught in progress.
    const holder = await world.knex.transaction();
    try {
      await holder.raw('LOCK TABLE activity_logs IN ACCESS EXCLUSIVE MODE');
      const accepted = await world.call('POST', '/admin/jobs/activity-log.cleanup/trigger', { body: { wait: false } });
      expect(accepted.status, accepted.text).to.equal(202);
      const { runId, location } = accepted.body as { runId: string; location: string };
      expect(accepted.body).to.deep.include({ job: 'activity-log.cleanup', status: 'RUNNING' });
      expect(location).to.equal(`/admin/runs/${runId}`);
      expect(accepted.headers.get('location')).to.equal(location);

      expect(await runOf(world, runId)).to.deep.include({ status: 'RUNNING', finishedAt: null, durationMs: null, summary: null, trigger: 'manual', triggeredBy: ADMIN_USER });
      const jobs = (await world.call('GET', '/admin/jobs')).body as { jobs: Array<{ name: string; lastRun: RunView | null }> };
      expect(jobs.jobs.find((job) => job.name === 'activity-log.cleanup')?.lastRun).to.deep.include({ id: runId, status: 'RUNNING' });
      const running = (await world.call('GET', '/admin/runs?status=RUNNING')).body as RunPage;
      expect(running.items.map((run) => run.id)).to.deep.equal([runId]);
      const again = await world.call('POST', '/admin/jobs/activity-log.cleanup/trigger', { body: { wait: false } });
      expect([again.status, errorCodeOf(again)]).to.deep.equal([409, 'JOB.ALREADY_RUNNING']);

      await holder.commit();
      const done = await eventually(async () => {
        const run = await runOf(world, runId);
        return run.status === 'RUNNING' ? undefined : run;
      }, 'the run to end');
      expect(done).to.deep.include({ status: 'SUCCESS', processedCount: 0 });
      expect(done.summary).to.deep.include({ deletedCount: 0, retentionDays: 45 });
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
    }
  });

  it('filters by job, status, trigger and start time, newest first, and pages exactly while runs are being recorded', async () => {
    const world = await worlds.open('runs_paging');
    const runs = new KnexCronRunRepository(world.knex);
    const ids: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      const startedAt = new Date(Date.UTC(2025, 2, 1, 3, Math.floor(index / 2)));
      ids.push(
        await runs.record({
          jobName: index % 3 === 0 ? 'settlement' : 'sorteos.auto-close',
          trigger: index % 5 === 0 ? 'manual' : 'schedule',
          triggeredBy: index % 5 === 0 ? 'ana' : 'SYSTEM',
          startedAt,
          status: index % 4 === 0 ? 'FAILED' : 'SUCCESS',
          processedCount: index,
          errorMessage: null,
          summary: { index },
          finishedAt: new Date(startedAt.getTime() + 1000),
        }),
      );
    }
    let added = 0;
    const paged = await readPages(world, 'limit=7', async () => {
      // While the operator pages: a new run, and one started inside the range being read.
      await runs.start({ jobName: 'monthly-closing', trigger: 'schedule', triggeredBy: 'SYSTEM', startedAt: new Date(Date.UTC(2025, 2, 2, 0, added)) });
      await runs.record({ jobName: 'settlement', trigger: 'schedule', triggeredBy: 'SYSTEM', startedAt: new Date(Date.UTC(2025, 2, 1, 3, 7, 30)), status: 'SUCCESS', processedCount: 0, errorMessage: null, summary: null, finishedAt: new Date(Date.UTC(2025, 2, 1, 3, 8)) });
      added += 1;
    });
    const pagedIds = paged.map((run) => run.id);
    expect(new Set(pagedIds).size, 'no run twice').to.equal(pagedIds.length);
    for (const id of ids) expect(pagedIds, `run ${id}`).to.include(id);
    const order = paged.map((run) => [run.startedAt, Number(run.id)] as const);
    for (let index = 1; index < order.length; index += 1) {
      const [previous, current] = [order[index - 1]!, order[index]!];
      expect(previous[0] > current[0] || (previous[0] === current[0] && previous[1] > current[1]), `${JSON.stringify(previous)} before ${JSON.stringify(current)}`).to.equal(true);
    }

    const settlement = await readPages(world, 'job=settlement&trigger=manual&limit=2');
    expect(settlement.map((run) => run.summary?.['index'])).to.deep.equal([15, 0]);
    const failed = await readPages(world, 'status=FAILED&from=2025-03-01T03:04:00Z&to=2025-02-28T21:10:00-06:00&limit=500');
    expect(failed.map((run) => run.summary?.['index'])).to.deep.equal([16, 12, 8]);
  });

  it('removes runs older than CRON_RUNS_RETENTION_DAYS with the nightly cleanup, keeping the latest of each job', async () => {
    const world = await worlds.open('runs_retention', { CRON_RUNS_RETENTION_DAYS: '30' });
    const runs = new KnexCronRunRepository(world.knex);
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const record = (jobName: string, startedAt: Date) =>
      runs.record({ jobName, trigger: 'schedule', triggeredBy: 'SYSTEM', startedAt, status: 'SUCCESS', processedCount: 0, errorMessage: null, summary: null, finishedAt: startedAt });
    const old = [await record('settlement', daysAgo(40)), await record('settlement', daysAgo(31))];
    const kept = [await record('settlement', daysAgo(29)), await record('monthly-closing', daysAgo(200))];

    const cleanup = await world.call('POST', '/admin/jobs/activity-log.cleanup/trigger');
    expect(cleanup.status, cleanup.text).to.equal(200);
    expect((cleanup.body as { summary: { cronRuns: unknown } }).summary.cronRuns).to.deep.include({ deletedCount: 2, retentionDays: 30 });
    for (const id of old) expect((await world.call('GET', `/admin/runs/${id}`)).status).to.equal(404);
    for (const id of kept) expect((await world.call('GET', `/admin/runs/${id}`)).status).to.equal(200);
  });

  it('refuses bad input with 400 naming the field, and answers 404 for a run that does not exist', async () => {
    const world = await worlds.open('runs_bad_input');
    const cases: Array<[string, string, string]> = [
      ['/admin/runs?cursor=not-a-cursor', 'VALIDATION.INVALID_INPUT', 'cursor'],
      ['/admin/runs?color=red', 'VALIDATION.INVALID_INPUT', 'color'],
      ['/admin/runs?limit=0', 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/runs?limit=10000', 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/runs?limit=ten', 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/runs?status=DONE', 'VALIDATION.INVALID_INPUT', 'status'],
      ['/admin/runs?job=payroll', 'VALIDATION.INVALID_INPUT', 'job'],
      ['/admin/runs?trigger=cron', 'VALIDATION.INVALID_INPUT', 'trigger'],
      ['/admin/runs?from=yesterday', 'TIME.INVALID_INSTANT', 'from'],
      ['/admin/runs?to=2025-02-30T00:00:00Z', 'TIME.INVALID_INSTANT', 'to'],
      ['/admin/runs?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z', 'VALIDATION.INVALID_INPUT', 'to'],
      ['/admin/runs?limit=5&limit=6', 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/runs/abc', 'VALIDATION.INVALID_INPUT', 'id'],
    ];
    for (const [path, code, field] of cases) {
      const answer = await world.call('GET', path);
      expect([answer.status, errorCodeOf(answer), errorFieldOf(answer)], path).to.deep.equal([400, code, field]);
    }
    const missing = await world.call('GET', '/admin/runs/999999');
    expect([missing.status, errorCodeOf(missing)]).to.deep.equal([404, 'JOB.RUN_NOT_FOUND']);
  });

  it('is for admins only, and documented in /openapi.json', async () => {
    const world = await worlds.open('runs_roles');
    const { runId } = (await world.call('POST', '/admin/jobs/sorteos.auto-open/trigger')).body as { runId: string };
    for (const path of ['/admin/runs', `/admin/runs/${runId}`]) {
      expect((await world.call('GET', path, { token: world.guardianToken })).status, path).to.equal(403);
      expect((await world.call('GET', path, { anonymous: true })).status, path).to.equal(401);
    }
    const document = (await world.call('GET', '/openapi.json', { anonymous: true })).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> };
    expect(document.paths['/admin/runs']?.['get']?.parameters?.map((parameter) => parameter.name)).to.have.members(['job', 'status', 'trigger', 'from', 'to', 'limit', 'cursor']);
    expect(document.paths['/admin/runs/{id}']?.['get']).to.not.equal(undefined);
  });
});
