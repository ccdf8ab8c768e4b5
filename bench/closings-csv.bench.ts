import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { signToken } from '@banca/http-koa';
import { freshDatabase, settle } from './bench-db';
import { BenchChild, fmtCount, fmtMiB, fmtMs, log, median, timed, type FigureResult, type FigureRow } from './measure';
import type { BenchSizes } from './sizes';

const SECRET = 'banca-bench-secret-0123456789abcdef0123456789';
const BANCA = '00000000-0000-4000-8000-000000000001';
const MONTH = '2025-03';

/** Resident set size of a process now (VmRSS), in bytes. */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** The closing rows of `month`: `rows` ventanas, names with commas and accents, amounts of every sign. */
async function seedMonth(knex: import('knex').Knex, month: string, rows: number, offset: number): Promise<void> {
  await knex.raw(
    `INSERT INTO ventanas (id, banca_id, name) SELECT md5('csv:' || i)::uuid, ?, 'Ventana ' || i || ', Peñas "' || (i % 97) || '"' FROM generate_series(?::int, ?::int) AS i`,
    [BANCA, offset + 1, offset + rows],
  );
  await knex.raw(
    `INSERT INTO monthly_closing_balances (closing_month, dimension, entity_id, banca_id, ticket_count, total_sales, total_payouts, total_commissions,
       net_balance, total_paid, total_collected, opening_balance, remaining_balance, closed_by)
     SELECT ?, 'ventana', md5('csv:' || i)::uuid, ?, i % 50, (i % 1000) * 10.25, (i % 300) * 5.5, (i % 1000) * 1.25,
       (i % 1000) * 10.25 - (i % 300) * 5.5 - (i % 1000) * 1.25, (i % 7) * 3, (i % 11) * 2, (i % 13) - 6.5,
       (i % 13) - 6.5 + (i % 1000) * 10.25 - (i % 300) * 5.5 - (i % 1000) * 1.25 - (i % 11) * 2 + (i % 7) * 3, 'bench'
     FROM generate_series(?::int, ?::int) AS i`,
    [month, BANCA, offset + 1, offset + rows],
  );
}

interface Download {
  ms: number;
  bytes: number;
  ids: string[];
  peakRss: number;
}

/** The download whose peak RSS is the median of an odd number of them. */
function medianByPeak(runs: readonly Download[]): Download {
  return [...runs].sort((a, b) => a.peakRss - b.peakRss)[Math.floor(runs.length / 2)]!;
}

/** GET the month as CSV from the api process, sampling its RSS every 10 ms; keeps each line's entity id. */
async function download(port: number, pid: number, month: string, token: string): Promise<Download> {
  let peakRss = rssOf(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(pid));
  }, 10);
  try {
    const { ms, value } = await timed(
      () =>
        new Promise<{ bytes: number; ids: string[] }>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port, path: `/admin/closings?month=${month}&dimension=ventana&sort=name`, headers: { accept: 'text/csv', authorization: `Bearer ${token}` } },
            (res) => {
              if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
              let bytes = 0;
              let rest = '';
              const ids: string[] = [];
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                bytes += Buffer.byteLength(chunk);
                const lines = (rest + chunk).split('\r\n');
                rest = lines.pop()!;
                for (const line of lines) ids.push(line.split(',')[2]!);
              });
              res.on('end', () => resolve({ bytes, ids: ids.slice(1) }));
              res.on('error', reject);
            },
          );
          req.on('error', reject);
          req.end();
        }),
    );
    return { ms, bytes: value.bytes, ids: value.ids, peakRss: Math.max(peakRss, rssOf(pid)) };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The raw baseline: PostgreSQL writes the same rows, joined and sorted alike, as CSV with COPY … TO
 * STDOUT, read by a pg client that counts the bytes and keeps each line's entity id (a minimal COPY
 * reader over pg's protocol: no library beyond pg).
 */
async function copyOut(url: string, month: string): Promise<{ ms: number; bytes: number; ids: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sql = `COPY (SELECT m.entity_id, v.name, m.banca_id, m.ticket_count, m.total_sales, m.total_payouts, m.total_commissions, m.net_balance,
        m.total_paid, m.total_collected, m.opening_balance, m.remaining_balance, m.closed_at, m.closed_by
      FROM monthly_closing_balances m LEFT JOIN ventanas v ON v.id = m.entity_id
      WHERE m.closing_month = '${month}' AND m.dimension = 'ventana'
      ORDER BY coalesce(v.name, '') COLLATE "C", m.entity_id) TO STDOUT WITH (FORMAT csv, HEADER)`;
    const { ms, value } = await timed(
      () =>
        new Promise<{ bytes: number; ids: string[] }>((resolve, reject) => {
          let bytes = 0;
          let rest = '';
          const ids: string[] = [];
          const submittable = {
            submit(connection: { query(text: string): void }) {
              connection.query(sql);
            },
            handleCopyData(message: { chunk: Buffer }) {
              bytes += message.chunk.length;
              const lines = (rest + message.chunk.toString('utf8')).split('\n');
              rest = lines.pop()!;
              for (const line of lines) ids.push(line.slice(0, 36));
            },
            handleCommandComplete() {},
            handleReadyForQuery() {
              resolve({ bytes, ids: ids.slice(1) });
            },
            handleError(error: Error) {
              reject(error);
            },
          };
          void (client.query(submittable as unknown as pg.QueryConfig) as unknown);
        }),
    );
    return { ms, ...value };
  } finally {
    await client.end();
  }
}

export async function closingsCsvBench(sizes: BenchSizes): Promise<FigureResult> {
  const rows = sizes.closingsCsvRows;
  const small = Math.max(1, Math.round(rows / 10));
  const db = await freshDatabase('closings_csv');
  let server: BenchChild | null = null;
  try {
    await db.knex('bancas').insert({ id: BANCA, name: 'Banca Central' });
    await seedMonth(db.knex, MONTH, rows, 0);
    await seedMonth(db.knex, '2025-02', small, rows);
    await settle(db.knex, ['ventanas', 'monthly_closing_balances']);
    server = new BenchChild('http-server.ts', { DATABASE_URL: db.url, AUTH_JWT_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'warn', DB_POOL_MAX: '10' });
    const ready = await server.next('ready', 120_000);
    const port = Number(ready['port']);
    const token = signToken({ sub: 'bench', role: 'admin' }, SECRET);

    // A first export of the large month lets the heap reach the size its garbage collector keeps; after it,
    // the two sizes are compared on equal terms.
    const startRss = rssOf(server.pid);
    const first = await download(port, server.pid, MONTH, token);
    const idle = rssOf(server.pid);
    // Three exports of each size, alternated, each from a collected heap, and the median of each.
    const child = server;
    const collected = async (month: string) => {
      child.send({ type: 'gc' });
      await child.next('gc', 60_000);
      return download(port, child.pid, month, token);
    };
    const smallerRuns: Download[] = [];
    const productRuns: Download[] = [];
    for (let round = 0; round < 3; round += 1) {
      smallerRuns.push(await collected('2025-02'));
      productRuns.push(await collected(MONTH));
    }
    // Each size's median peak and, apart, its median time.
    const smaller = { ...medianByPeak(smallerRuns), ms: median(smallerRuns.map((run) => run.ms)) };
    const product = { ...medianByPeak(productRuns), ms: median(productRuns.map((run) => run.ms)) };
    log(`closings-csv: ${fmtCount(rows)} rows in ${fmtMs(product.ms)}, ${fmtMiB(product.bytes)}; api RSS idle ${fmtMiB(idle)}, peak ${fmtMiB(smaller.peakRss)} at ${fmtCount(small)} rows, ${fmtMiB(product.peakRss)} at ${fmtCount(rows)}`);
    await server.stop();
    server = null;

    await copyOut(db.url, MONTH);
    const baseline = await copyOut(db.url, MONTH);
    log(`closings-csv: COPY TO STDOUT ${fmtMs(baseline.ms)}, ${fmtMiB(baseline.bytes)}`);

    const figure = `closings CSV export, ${fmtCount(rows)} rows (GET /admin/closings, Accept: text/csv)`;
    const memoryRatio = product.peakRss / smaller.peakRss;
    const tableRows: FigureRow[] = [
      {
        figure,
        product: `${fmtMs(product.ms)}, ${fmtMiB(product.bytes)}`,
        baseline: `${fmtMs(baseline.ms)} (COPY … TO STDOUT), ${fmtMiB(baseline.bytes)}`,
        ratio: product.ms / baseline.ms,
        target: '—',
        met: null,
      },
      {
        figure: `peak RSS of the api process exporting ${fmtCount(rows)} rows vs ${fmtCount(small)} rows (median of 3 each, idle ${fmtMiB(idle)})`,
        product: fmtMiB(product.peakRss),
        baseline: `${fmtMiB(smaller.peakRss)} at ${fmtCount(small)} rows`,
        ratio: memoryRatio,
        target: '≤ 1.1×',
        met: memoryRatio <= 1.1,
      },
      {
        figure: `peak RSS of the api process during its first export since start (${fmtMiB(startRss)} before), for scale`,
        product: fmtMiB(first.peakRss),
        baseline: '—',
        ratio: null,
        target: '—',
        met: null,
      },
    ];
    const sameOrder = product.ids.length === rows && product.ids.every((id, i) => id === baseline.ids[i]);
    return {
      rows: tableRows,
      checks: [
        {
          name: 'closings CSV: every row once, in the order PostgreSQL sorts them',
          ok: sameOrder && smaller.ids.length === small,
          detail: `${fmtCount(product.ids.length)} rows exported (${fmtCount(rows)} closed), ${fmtCount(baseline.ids.length)} from COPY, ${sameOrder ? 'same' : 'different'} order`,
        },
      ],
      causes: {
        [tableRows[1]!.figure]:
          `the peaks of the three exports at ${fmtCount(small)} rows were ${smallerRuns.map((run) => fmtMiB(run.peakRss)).join(', ')} and at ${fmtCount(rows)} rows ${productRuns.map((run) => fmtMiB(run.peakRss)).join(', ')}, from ${fmtMiB(idle)} idle ` +
          `(the first export since start peaked at ${fmtMiB(first.peakRss)}, from ${fmtMiB(startRss)}); this run gives no measure of what the larger peaks held`,
      },
      growthRows: [
        {
          growth: `closings CSV export (GET /admin/closings as text/csv), ${fmtCount(small)} → ${fmtCount(rows)} rows: time and peak RSS of the api process (the closings CSV rows above)`,
          smaller: `${fmtMs(smaller.ms)}, ${fmtMiB(smaller.peakRss)}`,
          larger: `${fmtMs(product.ms)}, ${fmtMiB(product.peakRss)}`,
          change: `size ×${(rows / small).toFixed(0)}, time ×${(product.ms / smaller.ms).toFixed(1)}; peak RSS ×${memoryRatio.toFixed(2)}`,
        },
      ],
      notes: [
        `closings CSV: the \`api\` process (bench/workers/http-server.ts, banca's api composition) serves GET /admin/closings with Accept: text/csv, sorted by name; it reads through a server-side cursor 1,000 rows at a time and writes each batch as the client takes it. Its RSS is sampled every 10 ms during each download, after a first export of the large month has let the heap reach the size the garbage collector keeps; then each size is exported three times, alternately, each after a full garbage collection of the api process (a bench-only message to it), and its median peak compared: a stream holds one batch at a time, so ${fmtCount(rows)} rows should cost the memory of ${fmtCount(small)}. The baseline is PostgreSQL's own CSV writer, COPY (the same join and sort) TO STDOUT, read by a pg client in the bench process.`,
      ],
    };
  } finally {
    await server?.stop();
    await db.drop();
  }
}
