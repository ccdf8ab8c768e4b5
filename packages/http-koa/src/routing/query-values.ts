import { HttpError } from '../http-error';
import { propertiesOf, type JsonSchema } from './route-spec';

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * The query string as the route's `query` schema types it, before validation: a property declared
 * `integer` takes a plain decimal integer (`50`, never `5.0`, `+5`, ` 5`, `0x10` or `1e3`), a
 * `boolean` takes `true` or `false`; anything else stays text for the schema to refuse with the
 * field's name. A parameter given twice is refused, as a JSON body's duplicate key is.
 */
export function queryValues(schema: JsonSchema, querystring: string): Record<string, unknown> {
  const properties = propertiesOf(schema);
  const values: Record<string, unknown> = {};
  for (const [name, text] of new URLSearchParams(querystring)) {
    if (Object.hasOwn(values, name)) {
      throw new HttpError(400, 'VALIDATION.INVALID_INPUT', `${name} is given more than once`, { field: name, reason: 'is given more than once' });
    }
    values[name] = typed(properties[name]?.['type'], text);
  }
  return values;
}

function typed(type: unknown, text: string): unknown {
  if (type === 'integer' && INTEGER.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
