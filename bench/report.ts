import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { CorrectnessCheck, FigureRow, GrowthSeries, GrowthTableRow, WorkerScalingRow } from './measure';
import { fmtCount } from './measure';
import type { BenchSizes } from './sizes';

export interface Machine {
  cores: number;
  memory: string;
  cpu: string;
  node: string;
  postgres: string;
  rabbitmq: string;
  loadBefore: string;
  loadAfter: string;
}

export interface Report {
  machine: Machine;
  sizes: BenchSizes;
  command: string;
  startedAt: Date;
  durationMs: number;
  rows: FigureRow[];
  checks: CorrectnessCheck[];
  notes: string[];
  causes: Record<string, string>;
  growth: GrowthSeries[];
  growthRows: GrowthTableRow[];
  workerScaling: WorkerScalingRow[];
  /** Wall time of each figure, seeding and checks included. */
  figureSeconds: Record<string, number>;
  failures: string[];
}

export const loadText = () => loadavg().map((n) => n.toFixed(2)).join(', ');

export function describeMachine(postgres: string, rabbitmq: string, loadBefore: string): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: the model from os.cpus() stands.
  }
  let cores = cpus().length;
  try {
    cores = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // No nproc: os.cpus() stands.
  }
  return {
    cores,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    cpu,
    node: process.version,
    postgres,
    rabbitmq,
    loadBefore,
    loadAfter: loadText(),
  };
}

const verdict = (row: FigureRow) => (row.met === null ? '—' : row.met ? 'met' : 'MISSED');
const ratioText = (row: FigureRow) => (row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`);
const HEADERS = ['figure', 'product', 'baseline', 'ratio', 'target', 'met or missed'];
const cells = (row: FigureRow) => [row.figure, row.product, row.baseline, ratioText(row), row.target, verdict(row)];

function fixedWidth(headers: readonly string[], lines: readonly string[][]): string {
  const table = [headers, ...lines];
  const widths = headers.map((_, i) => Math.max(...table.map((line) => [...line[i]!].length)));
  const line = (values: readonly string[]) => values.map((v, i) => v + ' '.repeat(widths[i]! - [...v].length)).join(' │ ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...lines.map(line)].join('\n');
}

const mdEscape = (text: string) => text.replace(/\|/g, '\\|');

function markdown(headers: readonly string[], lines: readonly string[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...lines.map((line) => `| ${line.map(mdEscape).join(' | ')} |`),
  ].join('\n');
}

/** The table as fixed-width text for the terminal. */
export function textTable(rows: readonly FigureRow[]): string {
  return fixedWidth(HEADERS, rows.map(cells));
}

export function markdownTable(rows: readonly FigureRow[]): string {
  return markdown(HEADERS, rows.map(cells));
}

const percent = (n: number) => `${n.toFixed(0)}%`;
const WORKER_HEADERS = ['workers', 'runs/s', 'worker CPU (each, % of a core)', 'PostgreSQL CPU', 'RabbitMQ CPU', 'commits/s', 'limited by'];
const workerCells = (row: WorkerScalingRow) => [
  String(row.workers),
  fmtCount(Math.round(row.runsPerSecond)),
  row.workerCpu.map(percent).join(', '),
  percent(row.postgresCpu),
  percent(row.rabbitmqCpu),
  fmtCount(Math.round(row.commitsPerSecond)),
  row.limitedBy,
];
const GROWTH_HEADERS = ['growth', 'smaller size', 'larger size', 'change'];
const growthCells = (row: GrowthTableRow) => [row.growth, row.smaller, row.larger, row.change];

export const workersTextTable = (rows: readonly WorkerScalingRow[]) => fixedWidth(WORKER_HEADERS, rows.map(workerCells));
export const growthTextTable = (rows: readonly GrowthTableRow[]) => fixedWidth(GROWTH_HEADERS, rows.map(growthCells));

function growthSection(report: Report, chartFile: string | null): string[] {
  const { sizes, machine } = report;
  const lines = ['## Growth', ''];
  if (report.workerScaling.length > 0) {
    lines.push(
      `### Workers on the allowance run`,
      '',
      `The allowance figure's end-to-end run (${fmtCount(sizes.allowanceRuns)} due runs, prefetch ${sizes.prefetch} per worker) with ${report.workerScaling.map((row) => row.workers).join(', ')} \`banca start worker\` processes.`,
      `CPU is the share of one core over the run (${machine.cores} cores: ${machine.cores * 100}% is the whole machine), from /proc/<pid>/stat; PostgreSQL is the`,
      "processes serving the bench database and the server's background processes, RabbitMQ its beam.smp; commits/s is the",
      'delta of pg_stat_database.xact_commit for the bench database. "Limited by" is read from these figures, the bench',
      "process's own CPU (counted in \"this run\") and the machine's total CPU (every process, this run's and others').",
      'The Notes say how each figure is taken.',
      '',
      markdown(WORKER_HEADERS, report.workerScaling.map(workerCells)),
      '',
    );
  }
  if (report.growthRows.length > 0) {
    lines.push(
      '### Time and memory against size',
      '',
      'The same work at a smaller and a larger size; "× linear" is the time growth divided by the size growth (1.00 = linear).',
      '',
      markdown(GROWTH_HEADERS, report.growthRows.map(growthCells)),
      '',
    );
  }
  if (chartFile) lines.push(`![time growth against size growth](${chartFile})`, '');
  return lines;
}

const minutesText = (seconds: number) => (seconds >= 60 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(0)} s`);

function figureTimes(report: Report): string {
  const entries = Object.entries(report.figureSeconds);
  return entries.length === 0 ? '' : ` Time per figure, seeding and checks included: ${entries.map(([figure, seconds]) => `${figure} ${minutesText(seconds)}`).join(', ')}.`;
}

function sizesNote(report: Report): string {
  return baseSizesNote(report) + figureTimes(report);
}

function baseSizesNote(report: Report): string {
  const minutes = (report.durationMs / 60_000).toFixed(1);
  return sameAsDefaults(report.sizes)
    ? `These are the default sizes, with the Growth section's larger ones: the whole run took ${minutes} min on this machine` +
        (report.durationMs <= 600_000 ? ', within a 10-minute budget.' : ' (load average above).')
    : `These sizes differ from the defaults (set by BENCH_SCALE, BENCH_* variables or flags); the run took ${minutes} min.`;
}

const DEFAULT_SIZES: Partial<BenchSizes> = {
  tickets: 2_000_000, vendedores: 10_000, ventanas: 1_000, bancas: 100, settleBatch: 2_000, backlogStatements: 100_000,
  lotteries: 1_000, autoCreateDays: 7, logs: 5_000_000, allowanceRuns: 10_000, workers: 2,
};

function sameAsDefaults(sizes: BenchSizes): boolean {
  return Object.entries(DEFAULT_SIZES).every(([key, value]) => sizes[key as keyof BenchSizes] === value);
}

export function renderMarkdown(report: Report, chartFile: string | null): string {
  const { machine, sizes } = report;
  const missed = report.rows.filter((row) => row.met === false);
  const lines = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (bench/main.ts); every figure runs the product path and, in the same run, a',
    'raw baseline doing the same work as directly as possible. A missed target is reported here, never a',
    'failed build. Re-run with `npm run bench` (`BENCH_SCALE=small` for a quick pass; every size has a',
    '`BENCH_*` variable and a `--flag`, see bench/sizes.ts).',
    '',
    `Run of ${report.startedAt.toISOString()} (${(report.durationMs / 60_000).toFixed(1)} min): \`${report.command}\``,
    '',
    '## Machine',
    '',
    `| | |`,
    `|---|---|`,
    `| CPU | ${machine.cpu}, ${machine.cores} cores (\`nproc\`) |`,
    `| memory | ${machine.memory} |`,
    `| Node | ${machine.node} |`,
    `| PostgreSQL | ${mdEscape(machine.postgres)} |`,
    `| RabbitMQ | ${machine.rabbitmq} |`,
    `| load average (1, 5, 15 min) | before ${machine.loadBefore}; after ${machine.loadAfter} |`,
    '',
    '## Sizes',
    '',
    `| | |`,
    `|---|---|`,
    `| scale | ${sizes.scale} |`,
    `| monthly closing | ${fmtCount(Math.round(sizes.tickets * sizes.closingSmallFraction))} and ${fmtCount(sizes.tickets)} tickets; ${fmtCount(sizes.vendedores)} vendedores, ${fmtCount(sizes.ventanas)} ventanas, ${fmtCount(sizes.bancas)} bancas; ${fmtCount(sizes.vendedores * 4)} movements; per-entity sample ${sizes.perEntitySample} vendedores |`,
    `| settlement | batch of ${fmtCount(sizes.settleBatch)}; backlogs of ${fmtCount(sizes.backlogStatements)} and ${fmtCount(sizes.backlogLarge)} eligible statements |`,
    `| auto-create | ${fmtCount(sizes.lotteries)} lotteries × ${sizes.autoCreateDays} days, median of ${sizes.autoCreateRepeats} runs |`,
    `| cleanup | ${fmtCount(Math.round(sizes.logs / 2))} and ${fmtCount(sizes.logs)} expired activity logs |`,
    `| allowance | ${fmtCount(sizes.allowanceRuns)} due runs, ${sizes.workers} workers, prefetch ${sizes.prefetch}; in Growth, ${sizes.growthWorkers.join(', ')} workers; the producer alone at ${fmtCount(sizes.allowanceRuns)}, ${fmtCount(Math.round(sizes.producerGrowthSchedules / 10))} and ${fmtCount(sizes.producerGrowthSchedules)} due schedules |`,
    `| HTTP | ${fmtCount(sizes.httpRequests)} requests, ${sizes.httpConnections} keep-alive connections |`,
    `| closings CSV | ${fmtCount(Math.round(sizes.closingsCsvRows / 10))} and ${fmtCount(sizes.closingsCsvRows)} closing rows |`,
    '',
    'Scales: `default`; `small` (`BENCH_SCALE=small`) for a quick pass; `large` (`BENCH_SCALE=large`, not run by default) closes 2,000,000 and 10,000,000 tickets, every other size as by default.',
    '',
    sizesNote(report),
    '',
    '## Results',
    '',
    'Ratio is product ÷ baseline: of times where the target is `≤`, of rates where it is `≥`. A growth row',
    'shows how much longer the larger size took; its ratio is the time growth divided by the size growth',
    '(1.00 = linear).',
    '',
    markdownTable(report.rows),
    '',
    ...growthSection(report, chartFile),
  ];
  lines.push('## Correctness checks', '');
  for (const check of report.checks) lines.push(`- ${check.ok ? 'passed' : '**FAILED**'}: ${check.name} (${check.detail})`);
  if (report.failures.length > 0) {
    lines.push('', '## Benchmarks that could not run', '');
    for (const failure of report.failures) lines.push(`- ${failure}`);
  }
  lines.push('', '## Missed targets', '');
  if (missed.length === 0) lines.push('None in this run.');
  for (const row of missed) lines.push(`- **${row.figure}** (${ratioText(row)} against ${row.target}): ${report.causes[row.figure] ?? 'no cause identified in this run'}`);
  lines.push('', '## Notes', '');
  for (const note of report.notes) lines.push(`- ${note}`);
  return `${lines.join('\n')}\n`;
}

/** A round tick spacing giving at most about ten ticks up to `max`. */
function tickStep(max: number): number {
  const raw = max / 10;
  if (raw <= 0.5) return 0.5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw)!;
}

/** Time growth against size growth, one panel per series, with the linear line for reference. */
export function renderGrowthSvg(series: readonly GrowthSeries[]): string {
  const panelWidth = 420;
  const height = 360;
  const margin = { left: 56, right: 20, top: 48, bottom: 52 };
  const width = panelWidth * Math.max(1, series.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  series.forEach((s, index) => {
    const x0 = index * panelWidth;
    const first = s.points[0]!;
    const pts = s.points.map((p) => ({
      size: p.size / first.size,
      product: p.productSeconds / first.productSeconds,
      baseline: p.baselineSeconds === null || first.baselineSeconds === null ? null : p.baselineSeconds / first.baselineSeconds,
      p,
    }));
    const maxX = Math.max(...pts.map((p) => p.size));
    const maxY = Math.ceil(Math.max(maxX, ...pts.map((p) => Math.max(p.product, p.baseline ?? 0))) * 4) / 4 + 0.25;
    const stepX = tickStep(maxX);
    const stepY = tickStep(maxY);
    const plotW = panelWidth - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const sx = (v: number) => x0 + margin.left + ((v - 0) / (maxX * 1.1)) * plotW;
    const sy = (v: number) => margin.top + plotH - (v / maxY) * plotH;
    parts.push(`<text x="${x0 + panelWidth / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${s.figure}</text>`);
    parts.push(`<text x="${x0 + panelWidth / 2}" y="36" text-anchor="middle" fill="#555">time ratio against size ratio (${s.unit}: ${s.points.map((p) => fmtCount(p.size)).join(' → ')})</text>`);
    parts.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(maxX * 1.1)}" y2="${sy(0)}" stroke="#000"/>`);
    parts.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(0)}" y2="${sy(maxY)}" stroke="#000"/>`);
    for (let v = 0; v <= maxY + 1e-9; v += stepY) {
      parts.push(`<line x1="${sx(0) - 4}" y1="${sy(v)}" x2="${sx(maxX * 1.1)}" y2="${sy(v)}" stroke="#eee"/>`);
      parts.push(`<text x="${sx(0) - 8}" y="${sy(v) + 4}" text-anchor="end">${v.toFixed(Number.isInteger(v) && v >= 10 ? 0 : 1)}×</text>`);
    }
    for (let v = 0; v <= maxX + 1e-9; v += stepX) {
      parts.push(`<text x="${sx(v)}" y="${sy(0) + 18}" text-anchor="middle">${v.toFixed(Number.isInteger(v) && v >= 10 ? 0 : 1)}×</text>`);
    }
    parts.push(`<text x="${x0 + margin.left + plotW / 2}" y="${height - 12}" text-anchor="middle">size ratio</text>`);
    parts.push(`<text transform="translate(${x0 + 14} ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">time ratio</text>`);
    parts.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(maxX * 1.05)}" y2="${sy(maxX * 1.05)}" stroke="#999" stroke-dasharray="5 4"/>`);
    const lines: Array<{ key: 'product' | 'baseline'; color: string; label: string }> = [
      { key: 'product' as const, color: '#c0392b', label: 'product' },
      { key: 'baseline' as const, color: '#2471a3', label: 'raw baseline' },
    ].filter(({ key }) => pts.every((p) => p[key] !== null));
    for (const { key, color, label } of lines) {
      const path = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.size).toFixed(1)} ${sy(p[key]!).toFixed(1)}`).join(' ');
      parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (const p of pts) {
        const secs = (key === 'product' ? p.p.productSeconds : p.p.baselineSeconds)!;
        parts.push(`<circle cx="${sx(p.size).toFixed(1)}" cy="${sy(p[key]!).toFixed(1)}" r="4" fill="${color}"><title>${label}: ${secs.toFixed(2)} s</title></circle>`);
        parts.push(`<text x="${(sx(p.size) + 7).toFixed(1)}" y="${(sy(p[key]!) + (key === 'product' ? -6 : 14)).toFixed(1)}" fill="${color}">${secs.toFixed(1)} s</text>`);
      }
    }
    const legendY = margin.top + 8;
    lines.forEach(({ color, label }, i) => {
      parts.push(`<line x1="${sx(0) + 12}" y1="${legendY + i * 16}" x2="${sx(0) + 32}" y2="${legendY + i * 16}" stroke="${color}" stroke-width="2"/>`);
      parts.push(`<text x="${sx(0) + 38}" y="${legendY + i * 16 + 4}">${label}</text>`);
    });
    const linearY = legendY + lines.length * 16;
    parts.push(`<line x1="${sx(0) + 12}" y1="${linearY}" x2="${sx(0) + 32}" y2="${linearY}" stroke="#999" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${sx(0) + 38}" y="${linearY + 4}">linear (time ratio = size ratio)</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export function writeDocs(report: Report, markdownPath: string, svgPath: string | null): void {
  if (svgPath) writeFileSync(svgPath, renderGrowthSvg(report.growth));
  writeFileSync(markdownPath, renderMarkdown(report, svgPath ? 'benchmarks-growth.svg' : null));
}
