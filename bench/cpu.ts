import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcessTicks {
  /** utime + stime, in clock ticks. */
  cpu: number;
  /** Start time after boot, in clock ticks. */
  start: number;
}

function ticksOf(pid: number): ProcessTicks | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15, starttime 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cpu: Number(fields[11]) + Number(fields[12]), start: Number(fields[19]) };
  } catch {
    return null;
  }
}

/** The pids whose command name (/proc/<pid>/comm) is `name`. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return pids;
}

function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

const uptimeTicks = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * TICKS_PER_SECOND;

/**
 * CPU of groups of processes over an interval, in % of one core (200% = two cores busy), from
 * /proc/<pid>/stat. Each group's pids are listed again at every sample: a process that starts during
 * the interval counts from its start, one that ends counts up to its last sample.
 */
export class CpuSampler {
  private readonly first = new Map<string, Map<number, number>>();
  private readonly last = new Map<string, Map<number, number>>();
  private startedAt = 0;
  private startedUptime = 0;
  private machineStart = { busy: 0, total: 0 };
  private ownStart = process.cpuUsage();
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();

  constructor(private readonly groups: Record<string, () => number[] | Promise<number[]>>) {}

  async start(intervalMs = 500): Promise<void> {
    this.startedAt = performance.now();
    this.startedUptime = uptimeTicks();
    this.machineStart = machineTicks();
    this.ownStart = process.cpuUsage();
    await this.sample();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    }, intervalMs);
  }

  private async sample(): Promise<void> {
    for (const [group, list] of Object.entries(this.groups)) {
      const first = this.first.get(group) ?? new Map<number, number>();
      const last = this.last.get(group) ?? new Map<number, number>();
      for (const pid of await list()) {
        const ticks = ticksOf(pid);
        if (!ticks) continue;
        if (!first.has(pid)) first.set(pid, ticks.start >= this.startedUptime ? 0 : ticks.cpu);
        last.set(pid, ticks.cpu);
      }
      this.first.set(group, first);
      this.last.set(group, last);
    }
  }

  /** Stops sampling; each group's CPU per process (% of one core), the bench process's and the whole machine's. */
  async stop(): Promise<{ groups: Record<string, Map<number, number>>; bench: number; machine: number; seconds: number }> {
    if (this.timer) clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const own = process.cpuUsage(this.ownStart);
    const machine = machineTicks();
    const groups: Record<string, Map<number, number>> = {};
    for (const group of Object.keys(this.groups)) {
      const perPid = new Map<number, number>();
      for (const [pid, cpu] of this.last.get(group) ?? []) {
        perPid.set(pid, ((cpu - (this.first.get(group)?.get(pid) ?? cpu)) / TICKS_PER_SECOND / seconds) * 100);
      }
      groups[group] = perPid;
    }
    const machineShare = (machine.busy - this.machineStart.busy) / Math.max(1, machine.total - this.machineStart.total);
    return {
      groups,
      bench: ((own.user + own.system) / 1e6 / seconds) * 100,
      machine: machineShare * cpus().length * 100,
      seconds,
    };
  }
}

export const sumOf = (perPid: Map<number, number> | undefined) => [...(perPid ?? new Map<number, number>()).values()].reduce((sum, n) => sum + n, 0);

/** Runs `work` while the CPU of the given groups of processes is sampled. */
export async function sampled<T>(groups: ConstructorParameters<typeof CpuSampler>[0], work: () => Promise<T>): Promise<{ value: T; cpu: Awaited<ReturnType<CpuSampler['stop']>> }> {
  const sampler = new CpuSampler(groups);
  await sampler.start();
  try {
    return { value: await work(), cpu: await sampler.stop() };
  } catch (error) {
    await sampler.stop();
    throw error;
  }
}
