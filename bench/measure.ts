import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of the table. `ratio` is product/baseline in the unit the target is stated in. */
export interface FigureRow {
  figure: string;
  product: string;
  baseline: string;
  ratio: number | null;
  /** e.g. '≤ 2×'; '—' for a figure shown for scale only. */
  target: string;
  /** null when there is no target. */
  met: boolean | null;
}

export interface CorrectnessCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface GrowthPoint {
  size: number;
  productSeconds: number;
  /** null where the growth has no raw baseline. */
  baselineSeconds: number | null;
}

export interface GrowthSeries {
  figure: string;
  unit: string;
  points: GrowthPoint[];
}

/** One line of the Growth section's table: the same work at a smaller and a larger size. */
export interface GrowthTableRow {
  growth: string;
  smaller: string;
  larger: string;
  /** How the larger size compares (time growth ÷ size growth, memory ratio…), or how to get it. */
  change: string;
}

/** One worker count of the allowance run, with the CPU of every process taking part (% of one core). */
export interface WorkerScalingRow {
  workers: number;
  runsPerSecond: number;
  workerCpu: number[];
  postgresCpu: number;
  rabbitmqCpu: number;
  benchCpu: number;
  /** Every process on the machine, this run's and others'. */
  machineCpu: number;
  commitsPerSecond: number;
  limitedBy: string;
}

export interface FigureResult {
  rows: FigureRow[];
  checks: CorrectnessCheck[];
  notes: string[];
  growth?: GrowthSeries[];
  growthRows?: GrowthTableRow[];
  workerScaling?: WorkerScalingRow[];
  /** Why each missed target was missed, keyed by the row's figure. */
  causes?: Record<string, string>;
}

export const seconds = (ms: number) => ms / 1000;

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

export const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
export const fmtRate = (perSecond: number, unit: string) => `${Math.round(perSecond).toLocaleString('en-US')} ${unit}/s`;
export const fmtCount = (n: number) => n.toLocaleString('en-US');
export const fmtMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** A row whose ratio is a time ratio (product/baseline), met when at most `max`. */
export function timeRow(figure: string, productMs: number, baselineMs: number, max: number | null, extra = ''): FigureRow {
  const ratio = productMs / baselineMs;
  return {
    figure,
    product: fmtMs(productMs) + extra,
    baseline: fmtMs(baselineMs),
    ratio,
    target: max === null ? '—' : `≤ ${max}×`,
    met: max === null ? null : ratio <= max,
  };
}

/** A row whose ratio is a rate ratio (product/baseline), met when at least `min`. */
export function rateRow(figure: string, productRate: number, baselineRate: number, unit: string, min: number | null): FigureRow {
  const ratio = productRate / baselineRate;
  return {
    figure,
    product: fmtRate(productRate, unit),
    baseline: fmtRate(baselineRate, unit),
    ratio,
    target: min === null ? '—' : `≥ ${min}×`,
    met: min === null ? null : ratio >= min,
  };
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Peak resident set size of a process so far (VmHWM), in bytes. */
export function peakRssOf(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export type WorkerMessage = { type: string; [key: string]: unknown };

/**
 * A bench child process, IPC for its results, stdout discarded. Its own script is TypeScript (tsx);
 * the packages it imports are their built `dist`, as `banca start` runs them (nx builds them before
 * `npm run bench`): loading the packages' sources through tsx alone takes ~45 MiB more of the
 * process's resident memory than the built JavaScript.
 */
export class BenchChild {
  private readonly messages: WorkerMessage[] = [];
  private readonly waiters: Array<() => void> = [];
  private exitError: Error | null = null;
  readonly process: ChildProcess;
  private stderr = '';

  constructor(script: string, env: Record<string, string>) {
    this.process = fork(join(__dirname, 'workers', script), [], {
      execArgv: [
        '--require',
        'tsx/cjs',
        ...(process.env['BENCH_CPU_PROF_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF_DIR']}`] : []),
      ],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.process.on('message', (message: WorkerMessage) => {
      this.messages.push(message);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.process.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) this.exitError = new Error(`bench child ${script} exited with ${code}: ${this.stderr.trim()}`);
      else if (code === null && signal !== 'SIGTERM' && signal !== 'SIGKILL') this.exitError = new Error(`bench child ${script} died of ${signal}`);
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  send(message: WorkerMessage): void {
    this.process.send(message);
  }

  /** Waits for the next message of `type` (an `error` message from the child is thrown). */
  async next(type: string, timeoutMs = 600_000): Promise<WorkerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type || m.type === 'error');
      if (index >= 0) {
        const [message] = this.messages.splice(index, 1);
        if (message!.type === 'error') throw new Error(`bench child: ${String(message!['message'])}`);
        return message!;
      }
      if (this.exitError) throw this.exitError;
      if (this.process.exitCode !== null) throw new Error(`bench child exited before sending ${type}: ${this.stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${type} from the bench child`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Asks the child to stop, waits for it to exit (killing it after `graceMs`). */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (this.process.connected) this.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
