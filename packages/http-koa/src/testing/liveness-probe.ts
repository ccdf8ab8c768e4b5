/**
 * Asks `GET /health/live` again and again until `stop`, which resolves with the longest wait in
 * milliseconds. Served from this process, that wait is how long the server held the event loop.
 */
export function probeLiveness(base: string): { stop(): Promise<number> } {
  let running = true;
  let worst = 0;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${base}/health/live`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`/health/live answered ${response.status}`);
      worst = Math.max(worst, performance.now() - started);
    }
  })();
  return {
    async stop() {
      running = false;
      await probing;
      return worst;
    },
  };
}
