import { EXIT, UsageError } from '../cli-errors';
import type { ProcessKind } from '../../composition/process-kind';
import { startBancaProcess } from '../../runtime/banca-process';
import { seedDemoOnFirstStart } from './seed.command';
import { processSetup } from './process-env';
import { runningTelemetry } from '../../telemetry/telemetry';

const KINDS: readonly ProcessKind[] = ['all-in-one', 'api', 'scheduler', 'worker'];

/** `banca start [kind]`: runs until SIGTERM or SIGINT, then shuts down gracefully and exits 0. */
export async function startCommand(args: string[]): Promise<number | null> {
  if (args.length > 1) throw new UsageError(`start takes one process kind at most, got ${args.join(' ')}`);
  const kind = (args[0] ?? 'all-in-one') as ProcessKind;
  if (!KINDS.includes(kind)) throw new UsageError(`unknown process "${args[0]}": expected one of ${KINDS.join(', ')}`);
  const { config, logger } = processSetup();
  const running = await startBancaProcess(kind, config, logger, kind === 'all-in-one' ? seedDemoOnFirstStart(config, logger) : undefined);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const flushTraces = () =>
      runningTelemetry()
        ?.shutdown()
        .catch((error: unknown) => logger.warn('TELEMETRY_FLUSH_FAIL', { error: error instanceof Error ? error.message : String(error) }));
    // The spans of the last requests and runs are exported before the process ends.
    running
      .stop(signal)
      .then(flushTraces)
      .then(
        () => process.exit(EXIT.ok),
        (error: unknown) => {
          logger.error('SHUTDOWN_FAIL', { error: error instanceof Error ? error.message : String(error) });
          process.exit(EXIT.failed);
        },
      );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return null;
}
