import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as amqp from 'amqplib';
import type { Knex } from 'knex';
import pg from 'pg';
import { allowanceTopologyNames } from '@banca/adapters-amqp';
import { allowanceMessageId } from '@banca/domain';
import { closeProcessContainer, createProcessContainer, createStdoutLogger, loadConfig, ServiceIds } from '@banca/scheduler';
import { freshDatabase, postgresPidsOf, settle } from './bench-db';
import { RABBITMQ_URL } from './rabbitmq';
import { pidsNamed, sampled, sumOf } from './cpu';
import { BenchChild, fmtCount, fmtMiB, fmtMs, fmtRate, log, peakRssOf, rateRow, timed, type FigureResult, type WorkerScalingRow } from './measure';
import type { BenchSizes } from './sizes';

const AMOUNT = '10.00';
const GUARDIAN_BALANCE = '1000000.00';

interface Run {
  scheduleId: string;
  guardianId: string;
  juniorId: string;
  runAt: Date;
  nextRunAt: Date;
}

/**
 * The writes of a credit (credit + transaction, schedule, debit, credit) in one transaction sent as
 * one simple query: one round trip per run, values inlined as literals. The result of each write is
 * checked afterwards (this data never fails a guard, so nothing has to roll back).
 */
async function creditRaw(client: pg.Client, run: Run, creditedAt: Date): Promise<void> {
  const q = (value: string) => client.escapeLiteral(value);
  const [amount, runAt, nextRunAt, at] = [q(AMOUNT), q(run.runAt.toISOString()), q(run.nextRunAt.toISOString()), q(creditedAt.toISOString())];
  const [schedule, guardian, junior] = [q(run.scheduleId), q(run.guardianId), q(run.juniorId)];
  const results = (await client.query(`BEGIN;
    WITH credit AS (
      INSERT INTO allowance_credits (schedule_id, transaction_id, amount, run_at, credited_at)
      VALUES (${schedule}, gen_random_uuid(), ${amount}::numeric, ${runAt}, ${at})
      ON CONFLICT (schedule_id, run_at) DO NOTHING
      RETURNING transaction_id, amount
    )
    INSERT INTO transactions (id, from_account_id, to_account_id, amount, kind, reference, created_at)
    SELECT credit.transaction_id, payer.id, payee.id, credit.amount, 'ALLOWANCE', ${q(allowanceMessageId(run.scheduleId, run.runAt))}, ${at}
    FROM credit JOIN accounts AS payer ON payer.guardian_id = ${guardian} JOIN accounts AS payee ON payee.junior_id = ${junior};
    UPDATE allowance_schedules SET last_run_at = greatest(last_run_at, ${runAt}), next_run_at = greatest(next_run_at, ${nextRunAt})
      WHERE id = ${schedule} AND guardian_id = ${guardian} AND junior_id = ${junior} AND status = 'ON' AND deleted_at IS NULL;
    UPDATE accounts SET balance = balance - ${amount}::numeric, updated_at = ${at} WHERE guardian_id = ${guardian} AND balance >= ${amount}::numeric;
    UPDATE accounts SET balance = balance + ${amount}::numeric, updated_at = ${at} WHERE junior_id = ${junior};
    COMMIT`)) as unknown as pg.QueryResult[];
  const written = results.slice(1, 5).map((result) => result.rowCount);
  if (written.some((count) => count !== 1)) throw new Error(`raw credit of ${run.scheduleId} wrote ${written.join(', ')} rows`);
}

async function rawCredits(url: string, runs: readonly Run[], concurrency: number): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  try {
    let next = 0;
    const { ms } = await timed(() =>
      Promise.all(
        clients.map(async (client) => {
          while (next < runs.length) {
            const run = runs[next++]!;
            await creditRaw(client, run, new Date());
          }
        }),
      ),
    );
    return ms;
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** Due schedules `from`…`count` (one guardian, junior, their two accounts and a schedule each), set-based. */
export async function seedSchedules(knex: Knex, count: number, anchor: Date, from = 1): Promise<void> {
  const range = [from, count];
  await knex.raw(`INSERT INTO guardians (id, name) SELECT md5('bench-guardian:' || i)::uuid, 'Guardian ' || i FROM generate_series(?::int, ?::int) AS i`, range);
  await knex.raw(`INSERT INTO juniors (id, guardian_id, name) SELECT md5('bench-junior:' || i)::uuid, md5('bench-guardian:' || i)::uuid, 'Junior ' || i FROM generate_series(?::int, ?::int) AS i`, range);
  await knex.raw(`INSERT INTO accounts (guardian_id, balance) SELECT md5('bench-guardian:' || i)::uuid, ?::numeric FROM generate_series(?::int, ?::int) AS i`, [GUARDIAN_BALANCE, ...range]);
  await knex.raw(`INSERT INTO accounts (junior_id, balance) SELECT md5('bench-junior:' || i)::uuid, 0 FROM generate_series(?::int, ?::int) AS i`, range);
  await knex.raw(
    `INSERT INTO allowance_schedules (guardian_id, junior_id, amount, frequency, status, anchor_at, next_run_at)
     SELECT md5('bench-guardian:' || i)::uuid, md5('bench-junior:' || i)::uuid, ?::numeric, 'DAILY', 'ON', ?::timestamptz, ?::timestamptz FROM generate_series(?::int, ?::int) AS i`,
    [AMOUNT, anchor, anchor, ...range],
  );
}

export async function reset(knex: Knex): Promise<void> {
  await knex.raw('TRUNCATE allowance_credits, transactions, cron_runs');
  await knex.raw('UPDATE accounts SET balance = CASE WHEN guardian_id IS NULL THEN 0 ELSE ?::numeric END', [GUARDIAN_BALANCE]);
  await knex.raw('UPDATE allowance_schedules SET last_run_at = NULL, next_run_at = anchor_at, lease_until = NULL');
  await settle(knex, ['accounts', 'allowance_schedules', 'allowance_credits', 'transactions']);
}

async function rawPublish(count: number, queue: string): Promise<number> {
  const connection = await amqp.connect(RABBITMQ_URL);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    const runAt = new Date().toISOString();
    const { ms } = await timed(async () => {
      for (let i = 0; i < count; i += 1) {
        const scheduleId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        // The body the producer sends, its terms included.
        const body = JSON.stringify({ scheduleId, runAt, terms: { guardianId: scheduleId, juniorId: scheduleId, amount: AMOUNT, frequency: 'DAILY', anchorAt: runAt } });
        const accepted = channel.sendToQueue(queue, Buffer.from(body), {
          persistent: true,
          messageId: `${scheduleId}:${runAt}`,
          contentType: 'application/json',
        });
        if (!accepted) await new Promise((resolve) => channel.once('drain', resolve));
      }
      await channel.waitForConfirms();
    });
    await channel.deleteQueue(queue);
    await channel.close();
    return ms;
  } finally {
    await connection.close();
  }
}

const BANCA_BIN = join(__dirname, '..', 'packages', 'scheduler', 'bin', 'banca.js');
const MAX_WORKER_RSS = 150 * 1024 * 1024;

/** `banca start worker` exactly as deployed (the built CLI, no bench code in the process), stdout discarded. */
export function startWorker(env: Record<string, string>): ChildProcess {
  const profile = process.env['BENCH_CPU_PROF_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF_DIR']}`] : [];
  const child = spawn(process.execPath, [...profile, BANCA_BIN, 'start', 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
  // No worker outlives the bench, even one that fails before its finally block runs.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.on('exit', (code, signal) => {
    process.removeListener('exit', orphaned);
    if (code !== 0 && code !== null) log(`allowance: a worker exited with ${code}`);
    else if (signal !== null && signal !== 'SIGTERM') log(`allowance: a worker died of ${signal}`);
  });
  return child;
}

/** Resolves once the queue (declared by the producer before) has `count` consumers: every worker is up and consuming. */
export async function consumersReady(queue: string, count: number, timeoutMs: number): Promise<void> {
  const connection = await amqp.connect(RABBITMQ_URL);
  // A failed check closes the channel with an error; it is thrown from checkQueue, not emitted unhandled.
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { consumerCount } = await channel.checkQueue(queue);
      if (consumerCount >= count) return;
      if (Date.now() > deadline) throw new Error(`${consumerCount} of ${count} workers consuming after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await connection.close();
  }
}

export async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function deleteTopology(queue: string): Promise<void> {
  const connection = await amqp.connect(RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    const names = allowanceTopologyNames(queue);
    for (const name of [names.queue, names.retryQueue, names.dlq]) await channel.deleteQueue(name);
    for (const name of [names.retryExchange, names.dlqExchange]) await channel.deleteExchange(name);
    await channel.close();
  } finally {
    await connection.close();
  }
}

async function purge(queue: string): Promise<number> {
  const connection = await amqp.connect(RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.purgeQueue(queue);
    await channel.close();
    return messageCount;
  } finally {
    await connection.close();
  }
}

interface Audit {
  credits: number;
  distinct_runs: number;
  duplicated_schedules: number;
  transactions: number;
  juniors: string;
  still_due: number;
}

interface EndToEnd {
  workerCount: number;
  endToEnd: { ms: number };
  reports: number[];
  audit: Audit;
  depths: { ready: number; dlq: number };
  cpu: Pick<WorkerScalingRow, 'workerCpu' | 'postgresCpu' | 'rabbitmqCpu' | 'benchCpu' | 'machineCpu'>;
  commits: number;
}

/** CPU milliseconds per credit of a run that kept `percent` of a core busy for `ms` over `count` credits. */
const cpuMsPerCredit = (percent: number, ms: number, count: number) => ((percent / 100) * ms) / count;
const fmtCpuMs = (ms: number) => `${ms.toFixed(2)} ms`;

/** Waits until `count` runs are credited, polling every 25 ms, for at most 10 minutes; `label` names the run in the failure. */
export async function creditsReach(knex: Knex, count: number, label?: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const credited = Number((await knex.raw('SELECT count(*) AS n FROM allowance_credits')).rows[0].n);
    if (credited >= count) return;
    if (Date.now() > deadline) throw new Error(`${label ? `${label}: ` : ''}only ${credited} of ${count} runs credited after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function xactCommits(knex: Knex, database: string): Promise<number> {
  await knex.raw('SELECT pg_stat_clear_snapshot()');
  return Number((await knex.raw('SELECT xact_commit FROM pg_stat_database WHERE datname = ?', [database])).rows[0].xact_commit);
}

/**
 * One end-to-end run: `workerCount` workers consuming, `allowance.enqueue` through the runner, until
 * the last credit is committed; the CPU of every process taking part sampled over the run.
 */
async function endToEndRun(parts: {
  knex: Knex;
  db: { name: string };
  env: Record<string, string>;
  runner: { runJob: (name: 'allowance.enqueue') => Promise<{ status: string }> };
  queue: string;
  count: number;
  workerCount: number;
  workers: ChildProcess[];
}): Promise<EndToEnd> {
  const { knex, db, env, runner, queue, count, workerCount } = parts;
  const started: ChildProcess[] = [];
  for (let i = 0; i < workerCount; i += 1) started.push(startWorker(env));
  parts.workers.push(...started);
  await consumersReady(queue, workerCount, 120_000);
  const commitsBefore = await xactCommits(knex, db.name);
  const { value: endToEnd, cpu } = await sampled(
    { workers: () => started.map((child) => child.pid!), postgres: () => postgresPidsOf(knex, db.name), rabbitmq: () => pidsNamed('beam.smp') },
    () =>
      timed(async () => {
        const enqueue = await runner.runJob('allowance.enqueue');
        if (enqueue.status !== 'SUCCESS') throw new Error(`allowance.enqueue ended ${enqueue.status}`);
        await creditsReach(knex, count);
      }),
  );
  const reports = started.map((worker) => peakRssOf(worker.pid!) ?? Number.NaN);
  await Promise.all(started.map(stopWorker));
  const commits = (await xactCommits(knex, db.name)) - commitsBefore;
  log(`allowance: end to end ${fmtCount(count)} runs with ${workerCount} workers in ${fmtMs(endToEnd.ms)}; CPU workers ${started.map((w) => `${(cpu.groups['workers']?.get(w.pid!) ?? 0).toFixed(0)}%`).join(', ')}, PostgreSQL ${sumOf(cpu.groups['postgres']).toFixed(0)}%, RabbitMQ ${sumOf(cpu.groups['rabbitmq']).toFixed(0)}%, bench ${cpu.bench.toFixed(0)}%, machine ${cpu.machine.toFixed(0)}%; ${fmtCount(commits)} commits`);

  const audit = (
    await knex.raw(`
    SELECT (SELECT count(*) FROM allowance_credits)::int AS credits,
      (SELECT count(*) FROM (SELECT schedule_id, run_at FROM allowance_credits GROUP BY schedule_id, run_at) c)::int AS distinct_runs,
      (SELECT count(*) FROM (SELECT schedule_id FROM allowance_credits GROUP BY schedule_id HAVING count(*) > 1) d)::int AS duplicated_schedules,
      (SELECT count(*) FROM transactions)::int AS transactions,
      (SELECT sum(balance) FROM accounts WHERE junior_id IS NOT NULL)::text AS juniors,
      (SELECT count(*) FROM allowance_schedules WHERE next_run_at <= now())::int AS still_due`)
  ).rows[0] as Audit;
  const depthsConnection = await amqp.connect(RABBITMQ_URL);
  const depths = await (async () => {
    const channel = await depthsConnection.createChannel();
    const names = allowanceTopologyNames(queue);
    const [ready, dlq] = [(await channel.checkQueue(names.queue)).messageCount, (await channel.checkQueue(names.dlq)).messageCount];
    await depthsConnection.close();
    return { ready, dlq };
  })();
  return {
    workerCount,
    endToEnd,
    reports,
    audit,
    depths,
    cpu: {
      workerCpu: started.map((worker) => cpu.groups['workers']?.get(worker.pid!) ?? 0),
      postgresCpu: sumOf(cpu.groups['postgres']),
      rabbitmqCpu: sumOf(cpu.groups['rabbitmq']),
      benchCpu: cpu.bench,
      machineCpu: cpu.machine,
    },
    commits,
  };
}

/** What bounds a run's rate, from its CPU figures: the cores, one process's core, or neither (waiting on round trips). */
export function limitedBy(row: Omit<WorkerScalingRow, 'limitedBy'>, cores: number): string {
  const ours = row.workerCpu.reduce((sum, n) => sum + n, 0) + row.postgresCpu + row.rabbitmqCpu + row.benchCpu;
  const capacity = cores * 100;
  if (row.machineCpu >= 0.9 * capacity) {
    const others = Math.max(0, row.machineCpu - ours);
    return others >= 0.25 * capacity
      ? `${cores} cores saturated (${ours.toFixed(0)}% this run, ${others.toFixed(0)}% other processes)`
      : `${cores} cores saturated (${ours.toFixed(0)}% this run)`;
  }
  const busiestWorker = Math.max(...row.workerCpu);
  if (busiestWorker >= 80) return `worker CPU (a worker at ${busiestWorker.toFixed(0)}% of its one core)`;
  if (row.postgresCpu >= 80) return `PostgreSQL CPU (${row.postgresCpu.toFixed(0)}%)`;
  if (row.rabbitmqCpu >= 80) return `RabbitMQ CPU (${row.rabbitmqCpu.toFixed(0)}%)`;
  return `latency, not CPU (${row.machineCpu.toFixed(0)}% of ${capacity}% busy)`;
}

export async function allowanceBench(sizes: BenchSizes): Promise<FigureResult> {
  const db = await freshDatabase('allowance');
  const { knex } = db;
  const queue = `bench.allowance.${process.pid}`;
  const count = sizes.allowanceRuns;
  const anchor = new Date(Date.now() - 3_600_000);
  const env = {
    DATABASE_URL: db.url,
    RABBITMQ_URL,
    ALLOWANCE_QUEUE_NAME: queue,
    ALLOWANCE_PREFETCH: String(sizes.prefetch),
    LOG_LEVEL: 'info',
  };
  const config = loadConfig({ ...env, LOG_LEVEL: 'warn' });
  const container = createProcessContainer('scheduler', config, createStdoutLogger({ level: 'warn', pretty: false, write: () => undefined }));
  const workers: ChildProcess[] = [];
  try {
    log(`allowance: seeding ${fmtCount(count)} due schedules`);
    await seedSchedules(knex, count, anchor);
    await settle(knex, ['guardians', 'juniors', 'accounts', 'allowance_schedules']);
    const runs: Run[] = (await knex.raw('SELECT id, guardian_id, junior_id FROM allowance_schedules ORDER BY id')).rows.map(
      (row: { id: string; guardian_id: string; junior_id: string }) => ({
        scheduleId: row.id,
        guardianId: row.guardian_id,
        juniorId: row.junior_id,
        runAt: anchor,
        nextRunAt: new Date(anchor.getTime() + 86_400_000),
      }),
    );

    const concurrencies = [...new Set([sizes.workers, sizes.workers * sizes.prefetch])];
    const baselineByConcurrency: Array<{ concurrency: number; ms: number; postgresCpu: number; benchCpu: number }> = [];
    for (const concurrency of concurrencies) {
      const { value: ms, cpu } = await sampled({ postgres: () => postgresPidsOf(knex, db.name) }, () => rawCredits(db.url, runs, concurrency));
      baselineByConcurrency.push({ concurrency, ms, postgresCpu: sumOf(cpu.groups['postgres']), benchCpu: cpu.bench });
      log(`allowance: raw credits at concurrency ${concurrency}: ${fmtMs(ms)}`);
      await reset(knex);
    }
    const baseline = baselineByConcurrency.reduce((best, next) => (next.ms < best.ms ? next : best));

    const runner = await container.getAsync(ServiceIds.JobRunner);
    const publishGroups = { postgres: () => postgresPidsOf(knex, db.name), rabbitmq: () => pidsNamed('beam.smp') };
    const { value: published, cpu: publishCpu } = await sampled(publishGroups, () => timed(() => runner.runJob('allowance.enqueue')));
    if (published.value.status !== 'SUCCESS') throw new Error(`allowance.enqueue ended ${published.value.status}`);
    const publishedCount = (published.value.summary as { publishedCount: number }).publishedCount;
    const purged = await purge(queue);
    log(`allowance: producer published ${fmtCount(publishedCount)} in ${fmtMs(published.ms)} (${fmtCount(purged)} purged)`);
    await reset(knex);
    const { value: rawPublishMs, cpu: rawPublishCpu } = await sampled(publishGroups, () => rawPublish(count, `bench.raw-publish.${process.pid}`));
    log(`allowance: raw confirmed publishing ${fmtCount(count)} in ${fmtMs(rawPublishMs)}`);

    const workerCounts = [sizes.workers, ...sizes.growthWorkers.filter((n) => n !== sizes.workers)];
    const endToEndRuns: EndToEnd[] = [];
    for (const [index, workerCount] of workerCounts.entries()) {
      if (index > 0) await reset(knex);
      endToEndRuns.push(await endToEndRun({ knex, db, env, runner, queue, count, workerCount, workers }));
    }
    const main = endToEndRuns[0]!;
    const { endToEnd, reports, audit, depths } = main;
    const expectedJuniors = (count * Number(AMOUNT)).toFixed(2);
    const duplicatesOf = (a: Audit) => a.credits - a.distinct_runs + a.duplicated_schedules + (a.transactions - a.credits);
    const creditedOnce = (run: EndToEnd) =>
      duplicatesOf(run.audit) === 0 && run.audit.credits === count && run.audit.transactions === count && run.audit.juniors === expectedJuniors &&
      run.audit.still_due === 0 && run.depths.ready === 0 && run.depths.dlq === 0;
    const duplicates = duplicatesOf(audit);
    const growthRuns = [...endToEndRuns].sort((a, b) => a.workerCount - b.workerCount);
    const cores = availableParallelism();
    const workerScaling: WorkerScalingRow[] = growthRuns
      .filter((run) => sizes.growthWorkers.includes(run.workerCount))
      .map((run) => {
        const row = { workers: run.workerCount, runsPerSecond: count / (run.endToEnd.ms / 1000), ...run.cpu, commitsPerSecond: run.commits / (run.endToEnd.ms / 1000) };
        return { ...row, limitedBy: limitedBy(row, cores) };
      });

    return {
      rows: [
        rateRow(`allowance end to end, ${fmtCount(count)} due runs, ${sizes.workers} workers (prefetch ${sizes.prefetch})`, count / (endToEnd.ms / 1000), count / (baseline.ms / 1000), 'runs', 0.75),
        { figure: 'allowance duplicates (credits beyond one per run)', product: String(duplicates), baseline: '0', ratio: null, target: '0', met: duplicates === 0 },
        rateRow(`allowance producer publish rate, ${fmtCount(publishedCount)} messages`, publishedCount / (published.ms / 1000), count / (rawPublishMs / 1000), 'msg', 0.8),
        {
          figure: 'peak RSS of a worker during the allowance run',
          product: reports.map(fmtMiB).join(', '),
          baseline: '—',
          ratio: null,
          target: '≤ 150 MiB',
          met: reports.every((rss) => rss <= MAX_WORKER_RSS),
        },
      ],
      checks: [
        {
          name: 'allowance: every due run credited exactly once, money conserved, queues drained',
          ok: duplicates === 0 && audit.credits === count && audit.transactions === count && audit.juniors === expectedJuniors && audit.still_due === 0 && depths.ready === 0 && depths.dlq === 0,
          detail: `${fmtCount(audit.credits)} credits for ${fmtCount(count)} runs, ${audit.transactions} transactions, juniors hold ${audit.juniors} (expected ${expectedJuniors}), ${audit.still_due} still due, queue ${depths.ready}, DLQ ${depths.dlq}`,
        },
        { name: 'allowance producer published every due run', ok: publishedCount === count && purged === count, detail: `${fmtCount(publishedCount)} published, ${fmtCount(purged)} on the queue` },
        ...(growthRuns.length > 1
          ? [
              {
                name: `allowance with ${growthRuns.map((run) => run.workerCount).join(', ')} workers: every due run credited exactly once each time, money conserved, queues drained`,
                ok: growthRuns.every(creditedOnce),
                detail: growthRuns.map((run) => `${run.workerCount} workers: ${fmtCount(run.audit.credits)} credits, ${duplicatesOf(run.audit)} duplicates, juniors ${run.audit.juniors}, queue ${run.depths.ready}, DLQ ${run.depths.dlq}`).join('; '),
              },
            ]
          : []),
      ],
      workerScaling,
      notes: [
        `Allowance: end to end is from the start of \`allowance.enqueue\` (the producer, through runJob, in the bench process) until the last credit is committed by ${sizes.workers} \`banca start worker\` processes (the built CLI, RabbitMQ, prefetch ${sizes.prefetch}, LOG_LEVEL info; their peak RSS is VmHWM read from /proc). ` +
          `The baseline sends the writes of a credit (credit + transaction, schedule, debit, credit, one transaction per run) as one simple query, one round trip per run, over plain pg connections; the product's worker makes one too (allowance_credit_run, with the terms the message carries); ` +
          `it ran at concurrency ${baselineByConcurrency.map((b) => `${b.concurrency} (${fmtMs(b.ms)})`).join(' and ')}, and the faster is the baseline.`,
        `Workers in the Growth section: the same end-to-end run (${fmtCount(count)} due runs, prefetch ${sizes.prefetch}) with ${growthRuns.map((run) => run.workerCount).join(', ')} workers, the database reset between runs. ` +
          'CPU is from /proc/<pid>/stat (utime + stime) over the run, in % of one core: each worker; PostgreSQL as the processes serving the bench database (backends, parallel and autovacuum workers) plus the background processes of the server (checkpointer, WAL writer…, which serve every database), listed from pg_stat_activity every 0.5 s; RabbitMQ as its beam.smp; ' +
          'commits/s is the delta of pg_stat_database.xact_commit of the bench database (read after the workers have exited, so their last statistics are flushed), including the bench process\'s own polling, one SELECT every 25 ms.',
        `Producer publish rate: \`allowance.enqueue\` with no consumer (claims pages of 500 with a lease, publishes each page with confirms while claiming the next) against amqplib publishing the same number of persistent messages on one confirm channel and waiting for the confirms once.`,
      ],
      causes: {
        [`allowance end to end, ${fmtCount(count)} due runs, ${sizes.workers} workers (prefetch ${sizes.prefetch})`]: (() => {
          const per = (percent: number, run: { ms: number }) => fmtCpuMs(cpuMsPerCredit(percent, run.ms, count));
          const workersCpu = main.cpu.workerCpu.reduce((sum, n) => sum + n, 0);
          const productTotal = cpuMsPerCredit(workersCpu + main.cpu.postgresCpu + main.cpu.rabbitmqCpu + main.cpu.benchCpu, endToEnd.ms, count);
          const rawTotal = cpuMsPerCredit(baseline.postgresCpu + baseline.benchCpu, baseline.ms, count);
          return (
            `CPU time per credit over the run (/proc/<pid>/stat): the product spends ${fmtCpuMs(productTotal)} (PostgreSQL ${per(main.cpu.postgresCpu, endToEnd)}, the ${sizes.workers} workers ${per(workersCpu, endToEnd)}, RabbitMQ ${per(main.cpu.rabbitmqCpu, endToEnd)}, the producer and polling in the bench process ${per(main.cpu.benchCpu, endToEnd)}) ` +
            `against the baseline's ${fmtCpuMs(rawTotal)} (PostgreSQL ${per(baseline.postgresCpu, baseline)}, its pg clients ${per(baseline.benchCpu, baseline)}); the machine was ${main.cpu.machineCpu.toFixed(0)}% busy of 200% during the product's run. ` +
            'Each credit is one PostgreSQL call like the baseline\'s (the message carries the schedule\'s terms, so nothing is read first), but a delivery through RabbitMQ and a Node worker costs CPU the baseline does not spend, on the 2 cores PostgreSQL needs: ' +
            'the rate is bounded by the CPU the whole pipeline needs per credit, not by round trips (see the workers rows of the Growth section)'
          );
        })(),
        [`allowance producer publish rate, ${fmtCount(publishedCount)} messages`]: (() => {
          // CPU shares are over the sampler's interval, so they are multiplied by that interval.
          const per = (percent: number, cpu: { seconds: number }, messages: number) => fmtCpuMs(cpuMsPerCredit(percent, cpu.seconds * 1000, messages));
          const product = { postgres: sumOf(publishCpu.groups['postgres']), rabbitmq: sumOf(publishCpu.groups['rabbitmq']), bench: publishCpu.bench };
          const raw = { rabbitmq: sumOf(rawPublishCpu.groups['rabbitmq']), bench: rawPublishCpu.bench };
          const mine = (percent: number) => per(percent, publishCpu, publishedCount);
          const theirs = (percent: number) => per(percent, rawPublishCpu, count);
          return (
            `CPU time per message over the run (/proc/<pid>/stat): the product spends ${mine(product.postgres + product.rabbitmq + product.bench)} ` +
            `(the bench process, where the producer runs, ${mine(product.bench)}; PostgreSQL ${mine(product.postgres)}; RabbitMQ ${mine(product.rabbitmq)}; the machine ${publishCpu.machine.toFixed(0)}% busy of 200%) ` +
            `against the raw publishing's ${theirs(raw.rabbitmq + raw.bench)} (the bench process, where its amqplib client runs, ${theirs(raw.bench)}; RabbitMQ ${theirs(raw.rabbitmq)}; the machine ${rawPublishCpu.machine.toFixed(0)}% busy). ` +
            'Each page is claimed with its lease in one PostgreSQL statement (the lease covers each schedule\'s first run, so a page publishing one run per schedule needs no second write) while the broker confirms the page before; ' +
            'the raw publishing has no claim and no job around its messages'
          );
        })(),
      },
    };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await closeProcessContainer(container).catch(() => undefined);
    await deleteTopology(queue).catch(() => undefined);
    await db.drop();
  }
}

interface ProducerRun {
  size: number;
  ms: number;
  published: number;
  purged: number;
  peakRss: number;
  readyRss: number;
  readyHeap: number;
  heapBeforeGc: number;
  heapAfterGc: number;
}

/** `allowance.enqueue` once in a scheduler child process, no consumer; the queue purged afterwards. */
async function producerRun(env: Record<string, string>, queue: string, size: number): Promise<ProducerRun> {
  const child = new BenchChild('scheduler-producer.ts', env);
  try {
    const ready = await child.next('ready', 120_000);
    child.send({ type: 'run' });
    const done = await child.next('done', 3_600_000);
    if (done['status'] !== 'SUCCESS') throw new Error(`allowance.enqueue ended ${String(done['status'])}: ${JSON.stringify(done['summary'])}`);
    const published = Number((done['summary'] as { publishedCount: number }).publishedCount);
    const purged = await purge(queue);
    const run = {
      size,
      ms: Number(done['ms']),
      published,
      purged,
      peakRss: Number(done['peakRss']),
      readyRss: Number(ready['peakRss']),
      readyHeap: Number(ready['heapUsed']),
      heapBeforeGc: Number(done['heapBeforeGc']),
      heapAfterGc: Number(done['heapAfterGc']),
    };
    log(
      `allowance producer: ${fmtCount(published)} published in ${fmtMs(run.ms)} (${fmtRate(published / (run.ms / 1000), 'msg')}), peak RSS ${fmtMiB(run.peakRss)} (${fmtMiB(run.readyRss)} ready), ` +
        `heap ${fmtMiB(run.readyHeap)} ready, ${fmtMiB(run.heapBeforeGc)} after the run, ${fmtMiB(run.heapAfterGc)} after a full GC; ${fmtCount(purged)} purged`,
    );
    return run;
  } finally {
    await child.stop();
  }
}

/** The old-generation cap of the producer's second run at the largest size, in MiB: three times the heap it keeps. */
const CAPPED_OLD_SPACE_MIB = 128;

/**
 * The producer at `allowanceRuns` due schedules, at a tenth of `producerGrowthSchedules`, then at all of
 * them: the same child process each time (a fresh one), its publish rate and peak RSS. The memory must
 * stay flat: the producer claims and publishes pages, it never lists the due schedules. The middle size
 * shows where the process's memory settles once its heap has grown to its working size.
 */
export async function producerGrowthBench(sizes: BenchSizes): Promise<FigureResult> {
  const small = Math.min(sizes.allowanceRuns, sizes.producerGrowthSchedules);
  const large = sizes.producerGrowthSchedules;
  const middle = Math.max(small, Math.round(large / 10));
  const db = await freshDatabase('allowance_producer');
  const { knex } = db;
  const queue = `bench.producer.${process.pid}`;
  const anchor = new Date(Date.now() - 3_600_000);
  const env = { DATABASE_URL: db.url, RABBITMQ_URL, ALLOWANCE_QUEUE_NAME: queue, LOG_LEVEL: 'warn' };
  try {
    const runs: ProducerRun[] = [];
    let seeded = 0;
    let seedingMs = 0;
    for (const size of [...new Set([small, middle, large])]) {
      const seeding = await timed(async () => {
        log(`allowance producer: seeding ${fmtCount(size - seeded)} more due schedules`);
        await seedSchedules(knex, size, anchor, seeded + 1);
        await settle(knex, ['guardians', 'juniors', 'accounts', 'allowance_schedules']);
      });
      if (size === large) seedingMs = seeding.ms;
      log(`allowance producer: ${fmtCount(size)} due schedules seeded`);
      runs.push(await producerRun(env, queue, size));
      seeded = size;
      await knex.raw('TRUNCATE cron_runs');
      await knex.raw('UPDATE allowance_schedules SET last_run_at = NULL, next_run_at = anchor_at, lease_until = NULL');
    }
    // The same largest run with V8's old generation capped: if the peak were data the producer keeps, the
    // process would run out of heap; if it is garbage, the cap only makes the collector come sooner.
    log(`allowance producer: ${fmtCount(large)} again with --max-old-space-size=${CAPPED_OLD_SPACE_MIB}`);
    const cappedEnv = { ...env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --max-old-space-size=${CAPPED_OLD_SPACE_MIB}`.trim() };
    const capped = await producerRun(cappedEnv, queue, large).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    const smaller = runs[0]!;
    const settled = runs[runs.length - 2] ?? smaller;
    const larger = runs[runs.length - 1]!;
    const rate = (run: ProducerRun) => run.published / (run.ms / 1000);
    const memoryRatio = larger.peakRss / settled.peakRss;
    const heapRatio = larger.heapAfterGc / smaller.heapAfterGc;
    const sizeRatio = larger.size / smaller.size;
    const timeRatio = larger.ms / smaller.ms;
    return {
      rows: [],
      checks: [
        {
          name: `allowance producer at ${runs.map((run) => fmtCount(run.size)).join(', ')} due schedules: every due run published once, the queue purged`,
          ok: runs.every((run) => run.published === run.size && run.purged === run.size),
          detail: runs.map((run) => `${fmtCount(run.published)} published of ${fmtCount(run.size)}, ${fmtCount(run.purged)} purged`).join('; '),
        },
        {
          name: `allowance producer at ${fmtCount(large)} due schedules with the old generation capped at ${CAPPED_OLD_SPACE_MIB} MiB: every due run published once, the queue purged`,
          ok: !(capped instanceof Error) && capped.published === large && capped.purged === large,
          detail: capped instanceof Error ? capped.message : `${fmtCount(capped.published)} published, ${fmtCount(capped.purged)} purged`,
        },
      ],
      notes: [
        `Producer growth: \`allowance.enqueue\` run once by a scheduler child process (bench/workers/scheduler-producer.ts: the scheduler's composition root from the built packages, runJob as the scheduler and \`banca jobs run\` call it), ` +
          `a fresh process for each size, publishing to ${queue} with no consumer; its peak RSS is its VmHWM after the run (${runs.map((run) => fmtMiB(run.readyRss)).join(', ')} once started, before the run); ` +
          `after the run, a full garbage collection (enabled through v8.setFlagsFromString only then) gives the heap still reachable, what the process keeps, apart from the garbage and buffers of its peak. ` +
          `Peak RSS by size: ${runs.map((run) => `${fmtMiB(run.peakRss)} at ${fmtCount(run.size)}`).join(', ')}, ${capped instanceof Error ? `with the old generation capped at ${CAPPED_OLD_SPACE_MIB} MiB the largest run failed (${capped.message.slice(0, 200)}). ` : `and ${fmtMiB(capped.peakRss)} at ${fmtCount(large)} with the old generation capped at ${CAPPED_OLD_SPACE_MIB} MiB, every run published${
            capped.peakRss < larger.peakRss ? ': the peak beyond the heap still reachable is garbage V8 lets build up between full collections, which the cap makes come sooner' : ''
          }. `}` +
          `The due schedules are seeded with generate_series (${fmtMs(seedingMs)} for the last ${fmtCount(large - settled.size)} added, with VACUUM ANALYZE); the queue is purged after each run and deleted at the end.`,
      ],
      growthRows: [
        {
          growth: `allowance producer publish rate (one \`allowance.enqueue\` run), ${fmtCount(small)} → ${fmtCount(large)} due schedules`,
          smaller: `${fmtMs(smaller.ms)}, ${fmtRate(rate(smaller), 'msg')}`,
          larger: `${fmtMs(larger.ms)}, ${fmtRate(rate(larger), 'msg')}`,
          change: `size ×${sizeRatio.toFixed(0)}, time ×${timeRatio.toFixed(1)}: ${(timeRatio / sizeRatio).toFixed(2)}× linear`,
        },
        {
          growth: `peak RSS of the producer process at ${fmtCount(large)} vs ${fmtCount(settled.size)} due schedules (${fmtMiB(smaller.peakRss)} at ${fmtCount(small)})`,
          smaller: fmtMiB(settled.peakRss),
          larger: fmtMiB(larger.peakRss),
          change: `×${memoryRatio.toFixed(2)}${
            memoryRatio <= 1.1 ? ': flat (pages, not lists)' : heapRatio <= 1.1 ? ': garbage waiting for a full collection, not kept data (the heap still reachable after the run is flat, next row)' : ': grows with the size'
          }`,
        },
        {
          growth: `the producer at ${fmtCount(large)} due schedules with V8's old generation capped at ${CAPPED_OLD_SPACE_MIB} MiB (NODE_OPTIONS=--max-old-space-size=${CAPPED_OLD_SPACE_MIB}), against uncapped`,
          smaller: `${fmtMiB(larger.peakRss)}, ${fmtRate(rate(larger), 'msg')}`,
          larger: capped instanceof Error ? `failed: ${capped.message.slice(0, 120)}` : `${fmtMiB(capped.peakRss)}, ${fmtRate(rate(capped), 'msg')}`,
          change: capped instanceof Error ? 'the capped heap is not enough' : `peak RSS ×${(capped.peakRss / larger.peakRss).toFixed(2)}, rate ×${(rate(capped) / rate(larger)).toFixed(2)}`,
        },
        {
          growth: `heap of the producer process still reachable after the run (a full GC), ${fmtCount(large)} vs ${fmtCount(small)} due schedules`,
          smaller: `${fmtMiB(smaller.heapAfterGc)} (${fmtMiB(smaller.heapBeforeGc)} before the GC)`,
          larger: `${fmtMiB(larger.heapAfterGc)} (${fmtMiB(larger.heapBeforeGc)} before the GC)`,
          change: `×${heapRatio.toFixed(2)}${heapRatio <= 1.1 ? ': nothing kept per message' : ': kept memory grows with the size'}`,
        },
      ],
      growth: [{ figure: 'allowance producer', unit: 'due schedules', points: runs.map((run) => ({ size: run.size, productSeconds: run.ms / 1000, baselineSeconds: null })) }],
    };
  } finally {
    await deleteTopology(queue).catch(() => undefined);
    await db.drop();
  }
}
