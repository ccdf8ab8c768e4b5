/**
 * Benchmark sizes: the defaults (see docs/benchmarks.md), `BENCH_SCALE=small` for a quick pass, `BENCH_SCALE=large` for the
 * closing at 2,000,000 and 10,000,000 tickets, and every size overridable by
 * an environment variable (`BENCH_TICKETS=500000`) or a flag (`--tickets=500000`).
 */
export interface BenchSizes {
  scale: string;
  /** Closing: tickets at the large size; the small size is `closingSmallFraction` of it. */
  tickets: number;
  closingSmallFraction: number;
  vendedores: number;
  ventanas: number;
  bancas: number;
  /** Entities closed one by one, the original system's way, to project its time. */
  perEntitySample: number;
  settleBatch: number;
  backlogStatements: number;
  lotteries: number;
  autoCreateDays: number;
  autoCreateRepeats: number;
  /** Cleanup: expired rows at the large size; the small size is half. */
  logs: number;
  allowanceRuns: number;
  workers: number;
  prefetch: number;
  httpRequests: number;
  httpConnections: number;
  /** Closing rows of the month exported as CSV (the memory is compared with a tenth of it). */
  closingsCsvRows: number;
  /** Worker counts of the allowance run in the Growth section (`BENCH_GROWTH_WORKERS=1,2,4`). */
  growthWorkers: number[];
  /** Due schedules the producer publishes once, compared with `allowanceRuns`. */
  producerGrowthSchedules: number;
  /** The larger settlement backlog, compared with `backlogStatements`. */
  backlogLarge: number;
}

const DEFAULTS: BenchSizes = {
  scale: 'default',
  tickets: 2_000_000,
  closingSmallFraction: 0.5,
  vendedores: 10_000,
  ventanas: 1_000,
  bancas: 100,
  perEntitySample: 200,
  settleBatch: 2_000,
  backlogStatements: 100_000,
  lotteries: 1_000,
  autoCreateDays: 7,
  autoCreateRepeats: 5,
  logs: 5_000_000,
  allowanceRuns: 10_000,
  workers: 2,
  prefetch: 10,
  httpRequests: 10_000,
  httpConnections: 10,
  closingsCsvRows: 100_000,
  growthWorkers: [1, 2, 4],
  producerGrowthSchedules: 1_000_000,
  backlogLarge: 1_000_000,
};

const SMALL: Partial<BenchSizes> = {
  scale: 'small',
  tickets: 100_000,
  vendedores: 1_000,
  ventanas: 100,
  bancas: 10,
  perEntitySample: 50,
  backlogStatements: 10_000,
  lotteries: 200,
  autoCreateRepeats: 3,
  logs: 200_000,
  allowanceRuns: 1_000,
  httpRequests: 1_000,
  closingsCsvRows: 20_000,
  producerGrowthSchedules: 50_000,
  backlogLarge: 50_000,
};

/** The closing's larger size at `BENCH_SCALE=large`. */
export const LARGE_SCALE_TICKETS = 10_000_000;

/** The closing at 2,000,000 and 10,000,000 tickets; every other size as by default. */
const LARGE: Partial<BenchSizes> = {
  scale: 'large',
  tickets: LARGE_SCALE_TICKETS,
  closingSmallFraction: 0.2,
};

const SCALES: Record<string, Partial<BenchSizes>> = { default: {}, small: SMALL, large: LARGE };

type NumericSize = Exclude<keyof BenchSizes, 'scale' | 'growthWorkers'>;

const ENV_NAMES: Record<NumericSize, string> = {
  tickets: 'BENCH_TICKETS',
  closingSmallFraction: 'BENCH_CLOSING_SMALL_FRACTION',
  vendedores: 'BENCH_VENDEDORES',
  ventanas: 'BENCH_VENTANAS',
  bancas: 'BENCH_BANCAS',
  perEntitySample: 'BENCH_PER_ENTITY_SAMPLE',
  settleBatch: 'BENCH_SETTLE_BATCH',
  backlogStatements: 'BENCH_BACKLOG',
  lotteries: 'BENCH_LOTTERIES',
  autoCreateDays: 'BENCH_AUTO_CREATE_DAYS',
  autoCreateRepeats: 'BENCH_AUTO_CREATE_REPEATS',
  logs: 'BENCH_LOGS',
  allowanceRuns: 'BENCH_ALLOWANCE_RUNS',
  workers: 'BENCH_WORKERS',
  prefetch: 'BENCH_PREFETCH',
  httpRequests: 'BENCH_HTTP_REQUESTS',
  httpConnections: 'BENCH_HTTP_CONNECTIONS',
  closingsCsvRows: 'BENCH_CLOSINGS_CSV_ROWS',
  producerGrowthSchedules: 'BENCH_PRODUCER_SCHEDULES',
  backlogLarge: 'BENCH_BACKLOG_LARGE',
};

const LIST_ENV_NAMES: Record<'growthWorkers', string> = {
  growthWorkers: 'BENCH_GROWTH_WORKERS',
};

const FIGURES = ['closing', 'settlement', 'auto-create', 'cleanup', 'allowance', 'allowance-producer', 'http', 'closings-csv', 'tracing'] as const;
export type FigureName = (typeof FIGURES)[number];

export interface BenchOptions {
  sizes: BenchSizes;
  figures: FigureName[];
  /** Write docs/benchmarks.md and the chart (off with --no-docs). */
  writeDocs: boolean;
}

const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Reads `--name=value` flags, then environment variables, then the scale's defaults. */
export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}: flags are --name=value`);
    flags.set(match[1]!, match[2] ?? 'true');
  }
  const scale = flags.get('scale') ?? env['BENCH_SCALE'] ?? 'default';
  const scaleSizes = Object.hasOwn(SCALES, scale) ? SCALES[scale] : undefined;
  if (!scaleSizes) throw new Error(`BENCH_SCALE must be ${Object.keys(SCALES).join(', ')}, got ${scale}`);
  const sizes: BenchSizes = { ...DEFAULTS, ...scaleSizes };
  for (const [key, envName] of Object.entries(ENV_NAMES) as Array<[NumericSize, string]>) {
    const raw = flags.get(flagName(key)) ?? env[envName];
    if (raw === undefined) continue;
    const value = Number(raw.replace(/_/g, ''));
    const fraction = key === 'closingSmallFraction';
    if (!Number.isFinite(value) || value <= 0 || (!fraction && !Number.isSafeInteger(value)) || (fraction && value >= 1)) {
      throw new Error(`${envName} (--${flagName(key)}) must be a positive ${fraction ? 'fraction below 1' : 'integer'}, got ${raw}`);
    }
    sizes[key] = value;
  }
  for (const [key, envName] of Object.entries(LIST_ENV_NAMES) as Array<['growthWorkers', string]>) {
    const raw = flags.get(flagName(key)) ?? env[envName];
    if (raw === undefined) continue;
    const values = raw.split(',').map((item) => Number(item.trim()));
    if (values.length === 0 || values.some((value) => !Number.isSafeInteger(value) || value <= 0)) {
      throw new Error(`${envName} (--${flagName(key)}) must be positive integers separated by commas, got ${raw}`);
    }
    sizes[key] = [...new Set(values)].sort((a, b) => a - b);
  }
  const only = flags.get('only') ?? env['BENCH_ONLY'];
  const figures = only === undefined ? [...FIGURES] : only.split(',').map((name) => name.trim());
  for (const figure of figures) {
    if (!(FIGURES as readonly string[]).includes(figure)) throw new Error(`unknown figure ${figure}: expected ${FIGURES.join(', ')}`);
  }
  for (const known of flags.keys()) {
    if (!['scale', 'only', 'no-docs'].includes(known) && ![...Object.keys(ENV_NAMES), ...Object.keys(LIST_ENV_NAMES)].map(flagName).includes(known)) throw new Error(`unknown flag --${known}`);
  }
  return { sizes, figures: figures as FigureName[], writeDocs: !flags.has('no-docs') && env['BENCH_NO_DOCS'] !== '1' };
}
