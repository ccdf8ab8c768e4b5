/**
 * The runs in flight in this process, so shutdown can wait for them (docs/architecture.md, Running the jobs).
 * Pure bookkeeping: no I/O, timers only while draining.
 */
export interface ActiveOperations {
  track<T>(name: string, operation: () => Promise<T>): Promise<T>;
  /** Names of the operations in flight, oldest first. */
  active(): string[];
  /** Resolves true once every operation has finished, or false when `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createActiveOperations(): ActiveOperations {
  const inFlight = new Map<number, { name: string; done: Promise<unknown> }>();
  let nextId = 0;
  return {
    async track(name, operation) {
      const id = nextId++;
      const done = operation();
      inFlight.set(id, { name, done: done.catch(() => undefined) });
      try {
        return await done;
      } finally {
        inFlight.delete(id);
      }
    },
    active: () => [...inFlight.values()].map((op) => op.name),
    async drain(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const drained = (async () => {
        while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((op) => op.done));
        return true as const;
      })();
      try {
        return await Promise.race([drained, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
