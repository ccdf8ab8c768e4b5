import { parseArgs } from 'node:util';
import { assertUserId, DomainError, purgeRequestOf, replayTargetOf, type DeadLetterReplayTarget } from '@banca/domain';
import type { ListDeadLettersOptions } from '@banca/domain/ports';
import { toDeadLetterView } from '@banca/http-koa';
import { deadLetterOperationsOf } from '../../admin/dead-letter-operations';
import { ServiceIds } from '../../composition/service-ids';
import { EXIT, UsageError } from '../cli-errors';
import { deadLetterTable, purgeSummary, replaySummary } from '../dead-letter-table';
import { cliUser } from './jobs.command';
import { withCliContainer } from './process-env';

/**
 * `banca dlq depth | list | show | replay | purge` (docs/architecture.md, Allowance: dead letters). The
 * dead letters are read from and changed in the store, as the admin API does; `depth` reads the queues.
 */
export async function dlqCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'depth':
      return depth(rest);
    case 'list':
      return list(rest);
    case 'show':
      return show(rest);
    case 'replay':
      return replay(rest);
    case 'purge':
      return purge(rest);
    default:
      throw new UsageError(sub ? `unknown dlq command "${sub}"` : 'dlq needs depth, list, show, replay or purge');
  }
}

function depth(rest: string[]): Promise<number> {
  if (rest.length > 0) throw new UsageError('dlq depth takes no arguments');
  return withCliContainer(async ({ container }) => {
    process.stdout.write(`${JSON.stringify(await (await container.getAsync(ServiceIds.Transport)).depths())}\n`);
    return EXIT.ok;
  });
}

/** `dlq list [--status S] [--reason CODE] [--schedule ID] [--from ISO] [--to ISO] [--limit N] [--cursor C] [--json]`. */
function list(rest: string[]): Promise<number> {
  const { values } = parse('list', rest, {
    status: { type: 'string' },
    reason: { type: 'string' },
    schedule: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    json: { type: 'boolean' },
  });
  const options: ListDeadLettersOptions = {};
  if (values.status !== undefined) options.status = values.status as string;
  if (values.reason !== undefined) options.reasonCode = values.reason as string;
  if (values.schedule !== undefined) options.scheduleId = values.schedule as string;
  if (values.from !== undefined) options.from = values.from as string;
  if (values.to !== undefined) options.to = values.to as string;
  if (values.limit !== undefined) options.limit = integerOf(values.limit as string, 'limit');
  if (values.cursor !== undefined) options.cursor = values.cursor as string;
  return withCliContainer(async ({ container }) => {
    const page = await (await deadLetterOperationsOf(container)).listDeadLetters(options);
    process.stdout.write(
      values.json ? `${JSON.stringify({ items: page.items.map(toDeadLetterView), nextCursor: page.nextCursor }, null, 2)}\n` : deadLetterTable(page, options.status ?? 'open'),
    );
    return EXIT.ok;
  });
}

/** `dlq show --id ID`: one dead letter, as JSON. */
function show(rest: string[]): Promise<number> {
  const { values } = parse('show', rest, { id: { type: 'string' } });
  if (values.id === undefined) throw new UsageError('dlq show needs --id ID');
  return withCliContainer(async ({ container }) => {
    const found = await (await deadLetterOperationsOf(container)).getDeadLetter(values.id as string);
    process.stdout.write(`${JSON.stringify(toDeadLetterView(found), null, 2)}\n`);
    return EXIT.ok;
  });
}

/**
 * `dlq replay --id X [--id Y…] | --all [--limit N]` (`--limit N` alone: the oldest N, as before). The
 * runs are published through this process's connection to RabbitMQ; the embedded default's queue lives
 * inside the running all-in-one, so there the replay is refused and its admin API does it.
 */
function replay(rest: string[]): Promise<number> {
  const { values } = parse('replay', rest, { id: { type: 'string', multiple: true }, all: { type: 'boolean' }, limit: { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean' } });
  const ids = values.id as string[] | undefined;
  if (ids === undefined && values.all === undefined && values.limit === undefined) throw new UsageError('dlq replay needs --id ID (repeatable) or --all');
  if (ids !== undefined && (values.all !== undefined || values.limit !== undefined)) throw new UsageError('dlq replay takes --id, or --all with an optional --limit, not both');
  const target: DeadLetterReplayTarget =
    ids !== undefined ? replayTargetOf({ ids }) : replayTargetOf({ all: true, ...(values.limit === undefined ? {} : { limit: integerOf(values.limit as string, 'limit') }) });
  const userId = assertUserId((values.user as string | undefined) ?? cliUser());
  return withCliContainer(async ({ container }) => {
    const transport = await container.getAsync(ServiceIds.Transport);
    if (transport.kind === 'in-process') {
      throw new UsageError('the in-process queue lives inside the running all-in-one: replay through its admin API (POST /admin/dead-letters/replay)');
    }
    const result = await (await deadLetterOperationsOf(container)).replayDeadLetters(target, userId);
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : replaySummary(result));
    return EXIT.ok;
  });
}

/** `dlq purge --id X [--id Y…] --reason "…"`. */
function purge(rest: string[]): Promise<number> {
  const { values } = parse('purge', rest, { id: { type: 'string', multiple: true }, reason: { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean' } });
  if (values.id === undefined) throw new UsageError('dlq purge needs --id ID (repeatable)');
  if (values.reason === undefined) throw new UsageError('dlq purge needs --reason "why"');
  const request = purgeRequestOf({ ids: values.id, reason: values.reason });
  const userId = assertUserId((values.user as string | undefined) ?? cliUser());
  return withCliContainer(async ({ container }) => {
    const result = await (await deadLetterOperationsOf(container)).purgeDeadLetters(request, userId);
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : purgeSummary(result));
    return EXIT.ok;
  });
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

function parse(command: string, args: string[], options: OptionSpec) {
  try {
    const parsed = parseArgs({ args, allowPositionals: true, strict: true, options });
    if (parsed.positionals.length > 0) throw new UsageError(`dlq ${command} takes no positional arguments, got ${parsed.positionals.join(' ')}`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`dlq ${command}: ${(error as Error).message}`);
  }
}

function integerOf(value: string, field: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid --${field} ${JSON.stringify(value)}: expected a whole number`, { field, value: value.slice(0, 100) });
  }
  return Number(value);
}
