import { startBenchTracing } from './bench-tracing';

// Starts tracing, then the bench child named by BENCH_TRACED_CHILD, so the libraries it loads are instrumented.
const script = process.env['BENCH_TRACED_CHILD'];
if (script !== 'allowance-worker' && script !== 'http-server') throw new Error(`BENCH_TRACED_CHILD must name allowance-worker or http-server, got ${String(script)}`);
startBenchTracing(`bench-${script}`);
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(`./${script}`);
