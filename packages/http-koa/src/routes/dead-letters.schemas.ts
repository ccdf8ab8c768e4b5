import { DEAD_LETTER_STATUSES, MAX_DEAD_LETTER_IDS, MAX_PURGE_REASON_CHARS } from '@banca/domain';
import { DEAD_LETTER_LIST_STATUSES } from '@banca/domain/ports';
import { UUID_SCHEMA, uuidParams } from '../routing/http-schemas';
import type { JsonSchema } from '../routing/route-spec';
import { INSTANT_FILTER_SCHEMA, INSTANT_SCHEMA as INSTANT, PAGE_QUERY_PROPERTIES, pageSchema } from '../routing/value-schemas';

// The domain's readers (listQueryOf, replayTargetOf, purgeRequestOf) run after these schemas and stay
// the authority; the schemas refuse the shape early, naming the field, and document it.

const REASON_CODE: JsonSchema = {
  type: 'string',
  maxLength: 64,
  pattern: '^[A-Z][A-Z0-9_]*(\\.[A-Z][A-Z0-9_]*)?$',
  description: 'The failure\'s stable code; UNKNOWN when the message came without one',
  examples: ['ALLOWANCE.INSUFFICIENT_FUNDS'],
};
const SCHEDULE_ID: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', examples: ['3f2b8c1e-5d4a-4b6f-9e2d-1a2b3c4d5e6f'] };
const IDS: JsonSchema = { type: 'array', minItems: 1, maxItems: MAX_DEAD_LETTER_IDS, uniqueItems: true, items: UUID_SCHEMA };
const NULLABLE_INSTANT: JsonSchema = { anyOf: [INSTANT, { type: 'null' }] };
const NULLABLE_TEXT: JsonSchema = { type: ['string', 'null'] };

export const DEAD_LETTER_ID_PARAMS = uuidParams('id');

export const DEAD_LETTER_QUERY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...DEAD_LETTER_LIST_STATUSES], description: 'open (the default), replaying, replayed, purged, or any' },
    reasonCode: { ...REASON_CODE, description: 'Only dead letters of this reason code' },
    scheduleId: { ...SCHEDULE_ID, description: 'Only dead letters of this schedule' },
    from: { ...INSTANT_FILTER_SCHEMA, description: 'Dead-lettered at or after this instant' },
    to: { ...INSTANT_FILTER_SCHEMA, description: 'Dead-lettered before this instant (later than from)' },
    ...PAGE_QUERY_PROPERTIES,
  },
};

export const DEAD_LETTER_VIEW: JsonSchema = {
  type: 'object',
  required: [
    'id', 'messageKey', 'messageId', 'scheduleId', 'runAt', 'reasonCode', 'reason', 'attempts', 'rawBody', 'deadLetteredAt', 'recordedAt',
    'status', 'replayRequestId', 'replayClaimedAt', 'replayedAt', 'replayedBy', 'purgedAt', 'purgedBy', 'purgeReason',
  ],
  additionalProperties: false,
  properties: {
    id: UUID_SCHEMA,
    messageKey: { type: 'string', description: 'scheduleId:runAt of a run; malformed:<message id>:<digest> of a message that names none' },
    messageId: NULLABLE_TEXT,
    scheduleId: { anyOf: [SCHEDULE_ID, { type: 'null' }], description: 'Null for a malformed message' },
    runAt: { ...NULLABLE_INSTANT, description: 'The occurrence the run pays; null for a malformed message' },
    reasonCode: REASON_CODE,
    reason: { type: 'string' },
    attempts: { type: 'integer', minimum: 0, description: 'Deliveries before it was given up, the first included' },
    rawBody: { ...NULLABLE_TEXT, description: 'The body of a malformed message as it came (at most 4096 characters)' },
    deadLetteredAt: INSTANT,
    recordedAt: INSTANT,
    status: { enum: [...DEAD_LETTER_STATUSES] },
    replayRequestId: NULLABLE_TEXT,
    replayClaimedAt: NULLABLE_INSTANT,
    replayedAt: NULLABLE_INSTANT,
    replayedBy: NULLABLE_TEXT,
    purgedAt: NULLABLE_INSTANT,
    purgedBy: NULLABLE_TEXT,
    purgeReason: NULLABLE_TEXT,
  },
};

export const DEAD_LETTER_PAGE = pageSchema(DEAD_LETTER_VIEW);

export const REPLAY_DEAD_LETTERS_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Exactly one of ids and all',
  properties: {
    ids: { ...IDS, description: `The dead letters to replay, 1 to ${MAX_DEAD_LETTER_IDS}` },
    all: { type: 'boolean', const: true, description: 'Every open dead letter recorded when the request begins' },
  },
};

export const REPLAY_DEAD_LETTERS_RESULT: JsonSchema = {
  type: 'object',
  required: ['requestId', 'replayed', 'notReplayed'],
  additionalProperties: false,
  properties: {
    requestId: UUID_SCHEMA,
    replayed: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'scheduleId', 'runAt'],
        additionalProperties: false,
        properties: { id: UUID_SCHEMA, scheduleId: SCHEDULE_ID, runAt: INSTANT },
      },
    },
    notReplayed: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'reason'],
        additionalProperties: false,
        properties: { id: UUID_SCHEMA, reason: { enum: ['unknown', 'already-replayed', 'purged', 'in-progress', 'malformed'] } },
      },
    },
  },
};

export const PURGE_DEAD_LETTERS_BODY: JsonSchema = {
  type: 'object',
  required: ['ids', 'reason'],
  additionalProperties: false,
  properties: {
    ids: { ...IDS, description: `The dead letters to purge, 1 to ${MAX_DEAD_LETTER_IDS}` },
    reason: { type: 'string', minLength: 1, maxLength: MAX_PURGE_REASON_CHARS, description: 'Why, kept with each purged dead letter' },
  },
};

export const PURGE_DEAD_LETTERS_RESULT: JsonSchema = {
  type: 'object',
  required: ['purged', 'notPurged'],
  additionalProperties: false,
  properties: {
    purged: { type: 'array', items: UUID_SCHEMA },
    notPurged: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'reason'],
        additionalProperties: false,
        properties: { id: UUID_SCHEMA, reason: { enum: ['unknown', 'already-replayed', 'purged', 'in-progress'] } },
      },
    },
  },
};
