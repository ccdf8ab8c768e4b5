import { purgeRequestOf, replayTargetOf, type DeadLetter, type DeadLetterReplayTarget } from '@banca/domain';
import type { DeadLetterPurgeResult, DeadLetterReplayResult, ListDeadLettersOptions, Page } from '@banca/domain/ports';
import { errorResponse } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import {
  DEAD_LETTER_ID_PARAMS,
  DEAD_LETTER_PAGE,
  DEAD_LETTER_QUERY,
  DEAD_LETTER_VIEW,
  PURGE_DEAD_LETTERS_BODY,
  PURGE_DEAD_LETTERS_RESULT,
  REPLAY_DEAD_LETTERS_BODY,
  REPLAY_DEAD_LETTERS_RESULT,
} from './dead-letters.schemas';

/** What the dead-letter routes need: the store's use cases, refusing bad input with domain errors. */
export interface DeadLetterOperations {
  /** Throws VALIDATION.INVALID_INPUT or TIME.INVALID_INSTANT naming the filter. */
  listDeadLetters(options: ListDeadLettersOptions): Promise<Page<DeadLetter>>;
  /** Throws DEAD_LETTER.NOT_FOUND. */
  getDeadLetter(id: string): Promise<DeadLetter>;
  /** Throws ALLOWANCE.QUEUE_UNAVAILABLE when the broker does not confirm. */
  replayDeadLetters(target: DeadLetterReplayTarget, userId: string): Promise<DeadLetterReplayResult>;
  purgeDeadLetters(request: { ids: readonly string[]; reason: string }, userId: string): Promise<DeadLetterPurgeResult>;
}

const TAGS = ['admin: allowance'];

/**
 * The operator's view of dead-lettered allowance runs (docs/architecture.md, Allowance: dead letters),
 * role `admin`: list and filter, inspect one, replay chosen ones or all, purge chosen ones with a reason.
 * The acting user is the token's subject.
 */
export function deadLetterRoutes(operations: DeadLetterOperations): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/dead-letters',
      operationId: 'listDeadLetters',
      summary: 'Dead-lettered allowance runs, newest first',
      description:
        'Keyset-paged (`limit` 1 to 500, `nextCursor`), newest dead-lettered first, ties by id. Filters: `status` (open by default: what waits for ' +
        'an operator; `any` for every status), `reasonCode`, `scheduleId`, `from` (inclusive) and `to` (exclusive) instants with their offset.',
      tags: TAGS,
      auth: 'admin',
      query: DEAD_LETTER_QUERY,
      responses: {
        200: { description: 'A page of dead letters', schema: DEAD_LETTER_PAGE },
        400: errorResponse('A bad filter or cursor (VALIDATION.INVALID_INPUT, TIME.INVALID_INSTANT), naming it'),
      },
      handler: async ({ query }) => {
        const page = await operations.listDeadLetters(query as ListDeadLettersOptions);
        return { status: 200, body: { items: page.items.map(toDeadLetterView), nextCursor: page.nextCursor } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/dead-letters/:id',
      operationId: 'getDeadLetter',
      summary: 'One dead letter, with its reason, attempts, and who replayed or purged it',
      tags: TAGS,
      auth: 'admin',
      params: DEAD_LETTER_ID_PARAMS,
      responses: {
        200: { description: 'The dead letter', schema: DEAD_LETTER_VIEW },
        404: errorResponse('No dead letter of that id (DEAD_LETTER.NOT_FOUND)'),
      },
      handler: async ({ params }) => ({ status: 200, body: toDeadLetterView(await operations.getDeadLetter(params['id']!)) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/dead-letters/replay',
      operationId: 'replayDeadLetters',
      summary: 'Publish the runs of chosen dead letters, or of every open one, to the allowance queue again',
      description:
        'Exactly one of `ids` and `all: true`. Each run is published once per request, confirmed by the broker, with a fresh attempt count; ' +
        'only then is its dead letter `replayed`, by the caller. A run already credited is not credited again. `notReplayed` says why a chosen ' +
        'dead letter was left: unknown, already-replayed, purged, in-progress (another request holds it) or malformed (it names no run: purge it). ' +
        '`all` takes the open dead letters recorded when the request begins, oldest first. When the broker does not confirm, that batch stays open ' +
        'and the answer is 503 ALLOWANCE.QUEUE_UNAVAILABLE (`details.replayed` counts the dead letters replayed before).',
      tags: TAGS,
      auth: 'admin',
      body: REPLAY_DEAD_LETTERS_BODY,
      responses: {
        200: { description: 'What was replayed and what was not, and why', schema: REPLAY_DEAD_LETTERS_RESULT },
        400: errorResponse('Neither or both of ids and all, or a bad id (VALIDATION.INVALID_INPUT naming the field)'),
        503: errorResponse('The broker did not confirm (ALLOWANCE.QUEUE_UNAVAILABLE); the unconfirmed dead letters stay open'),
      },
      handler: async ({ body, auth }) => {
        const result = await operations.replayDeadLetters(replayTargetOf(body as { ids?: unknown; all?: unknown }), auth.sub);
        return {
          status: 200,
          body: {
            requestId: result.requestId,
            replayed: result.replayed.map((row) => ({ id: row.id, scheduleId: row.scheduleId, runAt: row.runAt.toISOString() })),
            notReplayed: result.notReplayed.map((row) => ({ id: row.id, reason: row.reason })),
          },
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/dead-letters/purge',
      operationId: 'purgeDeadLetters',
      summary: 'Purge chosen dead letters with a reason: they are never replayed',
      description:
        'Open dead letters become `purged`, with the caller, the time and the reason (1 to 500 characters). `notPurged` says why a chosen one was ' +
        'left: unknown, already-replayed, purged, in-progress.',
      tags: TAGS,
      auth: 'admin',
      body: PURGE_DEAD_LETTERS_BODY,
      responses: {
        200: { description: 'What was purged and what was not, and why', schema: PURGE_DEAD_LETTERS_RESULT },
        400: errorResponse('A bad id or a missing reason (VALIDATION.INVALID_INPUT naming the field)'),
      },
      handler: async ({ body, auth }) => {
        const result = await operations.purgeDeadLetters(purgeRequestOf(body as { ids?: unknown; reason?: unknown }), auth.sub);
        return { status: 200, body: { purged: [...result.purged], notPurged: result.notPurged.map((row) => ({ id: row.id, reason: row.reason })) } };
      },
    }),
  ];
}

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** A dead letter as the API writes it: the documented fields only, instants as ISO strings. */
export function toDeadLetterView(row: DeadLetter) {
  return {
    id: row.id,
    messageKey: row.messageKey,
    messageId: row.messageId,
    scheduleId: row.scheduleId,
    runAt: iso(row.runAt),
    reasonCode: row.reasonCode,
    reason: row.reason,
    attempts: row.attempts,
    rawBody: row.rawBody,
    deadLetteredAt: row.deadLetteredAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    status: row.status,
    replayRequestId: row.replayRequestId,
    replayClaimedAt: iso(row.replayClaimedAt),
    replayedAt: iso(row.replayedAt),
    replayedBy: row.replayedBy,
    purgedAt: iso(row.purgedAt),
    purgedBy: row.purgedBy,
    purgeReason: row.purgeReason,
  };
}
