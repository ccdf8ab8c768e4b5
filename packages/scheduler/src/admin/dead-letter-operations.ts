import { randomUUID } from 'node:crypto';
import type { DeadLetter, DeadLetterReplayTarget } from '@banca/domain';
import {
  getDeadLetter,
  listDeadLetters,
  purgeDeadLetters,
  replayDeadLetters,
  type AllowanceQueue,
  type Clock,
  type DeadLetterPurgeResult,
  type DeadLetterReplayResult,
  type DeadLetterStore,
  type ListDeadLettersOptions,
  type Logger,
  type Page,
} from '@banca/domain/ports';
import type { Container } from 'inversify';
import { ServiceIds } from '../composition/service-ids';

export interface DeadLetterOperationsDeps {
  deadLetters: DeadLetterStore;
  /** The process's allowance queue: replays publish the runs again through it. */
  queue: AllowanceQueue;
  clock: Clock;
  logger: Logger;
}

/**
 * What an operator does with dead letters (docs/architecture.md, Allowance: dead letters), for the admin
 * API and the CLI: list, inspect, replay (each request with its own id), purge; and the old DLQ replay,
 * now a replay of all bounded by `limit`.
 */
export function deadLetterOperations(deps: DeadLetterOperationsDeps) {
  const replay = (target: DeadLetterReplayTarget, userId: string): Promise<DeadLetterReplayResult> =>
    replayDeadLetters(deps, target, { requestId: randomUUID(), by: userId });
  return {
    listDeadLetters: (options: ListDeadLettersOptions): Promise<Page<DeadLetter>> => listDeadLetters(deps, options),
    getDeadLetter: (id: string): Promise<DeadLetter> => getDeadLetter(deps, id),
    replayDeadLetters: replay,
    purgeDeadLetters: (request: { ids: readonly string[]; reason: string }, userId: string): Promise<DeadLetterPurgeResult> => purgeDeadLetters(deps, request, userId),
    async replayAllowanceDlq(options: { limit: number; userId: string }): Promise<{ replayed: number }> {
      const result = await replay({ all: true, limit: options.limit }, options.userId);
      return { replayed: result.replayed.length };
    },
  };
}

export type DeadLetterOperations = ReturnType<typeof deadLetterOperations>;

/** The dead-letter operations of a process, over its repositories, allowance transport, clock and logger. */
export async function deadLetterOperationsOf(container: Container): Promise<DeadLetterOperations> {
  return deadLetterOperations({
    deadLetters: (await container.getAsync(ServiceIds.Repositories)).deadLetters,
    queue: (await container.getAsync(ServiceIds.Transport)).publisher,
    clock: container.get(ServiceIds.Clock),
    logger: container.get(ServiceIds.Logger).withLayer('admin'),
  });
}
