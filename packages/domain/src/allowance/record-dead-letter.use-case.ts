import type { Clock } from '../kernel/clock.port';
import type { Logger } from '../kernel/logger.port';
import type { DeadLetterMessage } from './allowance-transport.port';
import { deadLetterOf } from './dead-letter';
import type { DeadLetterStore } from './dead-letter.ports';

export interface RecordDeadLetterDeps {
  deadLetters: Pick<DeadLetterStore, 'record'>;
  clock: Clock;
  logger: Logger;
}

/**
 * Records one message taken from the DLQ (docs/architecture.md, Allowance: dead letters). The transport
 * acknowledges the message only after this resolves, so a crash in between delivers it again and the
 * store's open-key rule makes that second recording a no-op: nothing is lost between queue and table.
 */
export async function recordDeadLetter(deps: RecordDeadLetterDeps, message: DeadLetterMessage): Promise<{ recorded: boolean }> {
  const letter = deadLetterOf(message, deps.clock.now());
  const recorded = await deps.deadLetters.record(letter);
  deps.logger.info(recorded ? 'ALLOWANCE_DEAD_LETTER_RECORDED' : 'ALLOWANCE_DEAD_LETTER_ALREADY_RECORDED', {
    messageKey: letter.messageKey,
    reasonCode: letter.reasonCode,
    attempts: letter.attempts,
  });
  return { recorded };
}
