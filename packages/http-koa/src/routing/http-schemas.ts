import type { JsonSchema, RouteResponseSpec } from './route-spec';

/** `{ error: { code, message, details? } }` (docs/architecture.md, HTTP). */
export const ERROR_BODY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', examples: ['VALIDATION.INVALID_INPUT'] },
        message: { type: 'string' },
        details: { type: 'object' },
      },
    },
  },
};

export const errorResponse = (description: string): RouteResponseSpec => ({ description, schema: ERROR_BODY_SCHEMA });

export const UUID_SCHEMA: JsonSchema = { type: 'string', format: 'uuid' };

/** The params schema of a path whose parameters are all UUIDs. */
export function uuidParams(...names: string[]): JsonSchema {
  return {
    type: 'object',
    required: names,
    additionalProperties: false,
    properties: Object.fromEntries(names.map((name) => [name, UUID_SCHEMA])),
  };
}
