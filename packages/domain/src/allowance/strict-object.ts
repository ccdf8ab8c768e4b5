import { DomainError } from '../kernel/domain-error';

/**
 * A JSON object with exactly the allowed fields: anything else (an array, null, a typo'd or
 * extra field) is refused with VALIDATION.INVALID_INPUT naming what is wrong, so a client never
 * believes a misspelt field was applied.
 */
export function strictObject(
  value: unknown,
  what: string,
  fields: { required: readonly string[]; optional?: readonly string[] },
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput(`${what} must be a JSON object`, { received: value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value });
  }
  const record = value as Record<string, unknown>;
  const allowed = new Set([...fields.required, ...(fields.optional ?? [])]);
  for (const key of Object.keys(record)) {
    if (!allowed.has(key)) throw invalidInput(`unknown field ${JSON.stringify(key)} in ${what}`, { field: key, allowed: [...allowed] });
  }
  for (const key of fields.required) {
    if (record[key] === undefined) throw invalidInput(`missing field ${JSON.stringify(key)} in ${what}`, { field: key });
  }
  return record;
}

export function invalidInput(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('VALIDATION.INVALID_INPUT', message, details);
}
