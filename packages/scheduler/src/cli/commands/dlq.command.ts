import { parseArgs } from 'node:util';
import { ServiceIds } from '../../composition/service-ids';
import { EXIT, UsageError } from '../cli-errors';
import { createProgress } from '../progress';
import { withCliContainer } from './process-env';

/** `banca dlq depth` and `banca dlq replay [--limit N]`. */
export async function dlqCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'depth') {
    if (rest.length > 0) throw new UsageError('dlq depth takes no arguments');
    return withCliContainer(async ({ container }) => {
      process.stdout.write(`${JSON.stringify(await (await container.getAsync(ServiceIds.Transport)).depths())}\n`);
      return EXIT.ok;
    });
  }
  if (sub === 'replay') {
    let limitText: string | undefined;
    try {
      limitText = parseArgs({ args: rest, strict: true, options: { limit: { type: 'string' } } }).values.limit;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000) throw new UsageError('--limit must be a whole number from 1 to 1000000');
    return withCliContainer(async ({ container, logger }) => {
      const transport = await container.getAsync(ServiceIds.Transport);
      if (transport.kind === 'in-process') {
        throw new UsageError('the in-process queue lives inside the running all-in-one: replay through its admin API (POST /admin/allowance/dlq/replay)');
      }
      const before = await transport.depths();
      const progress = createProgress('replaying the allowance DLQ', Math.min(limit, before.deadLettered), logger);
      const result = await transport.replayDeadLetters({ limit, onProgress: (done) => progress.update(done) });
      progress.finish();
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return EXIT.ok;
    });
  }
  throw new UsageError(sub ? `unknown dlq command "${sub}"` : 'dlq needs depth or replay');
}
