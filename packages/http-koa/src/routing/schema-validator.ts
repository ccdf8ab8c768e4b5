import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { HttpError } from '../http-error';
import type { JsonSchema } from './route-spec';
import { SCHEMA_FORMATS } from './schema-formats';

/** The annotation that gives a property's validation failures their own code (`MONEY.INVALID_AMOUNT`). */
export const ERROR_CODE_KEYWORD = 'x-error-code';
export const DEFAULT_VALIDATION_CODE = 'VALIDATION.INVALID_INPUT';

/** Throws the 400 HttpError of the first failure, with details { field, reason }. */
export type InputCheck = (value: unknown) => void;

/** Compiles route schemas once, at start-up; allErrors stays off, so a request reports its first failure. */
export function createSchemaValidator() {
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true, coerceTypes: false, useDefaults: false });
  ajv.addKeyword({ keyword: ERROR_CODE_KEYWORD, schemaType: 'string' });
  for (const [name, format] of Object.entries(SCHEMA_FORMATS)) ajv.addFormat(name, { type: 'string', validate: format.validate });

  return {
    /** `root` names the whole value in errors: "body" or "params". */
    input(schema: JsonSchema, root: string): InputCheck {
      const validate = ajv.compile(schema);
      return (value) => {
        if (!validate(value)) throw validationError(schema, firstError(validate), root);
      };
    },
    /** For tests and development: a response that breaks its documented schema is a bug. */
    output(schema: JsonSchema): (value: unknown) => string | null {
      const validate = ajv.compile(schema);
      return (value) => (validate(value) ? null : ajv.errorsText(validate.errors));
    },
  };
}

export type SchemaValidator = ReturnType<typeof createSchemaValidator>;

const firstError = (validate: ValidateFunction): ErrorObject => validate.errors![0]!;

function validationError(schema: JsonSchema, error: ErrorObject, root: string): HttpError {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let field = fieldName(segments);
  let reason = reasonOf(error);
  if (error.keyword === 'required') {
    field = fieldName([...segments, String(error.params['missingProperty'])]);
    reason = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    field = fieldName([...segments, String(error.params['additionalProperty'])]);
    reason = 'is not allowed';
  }
  // A missing or unknown field is the object's failure: the object's own code (or an enclosing one), not the field's.
  const code = errorCodeAt(schema, segments);
  const subject = field === '' ? `the ${root}` : field;
  return new HttpError(400, code, `${subject} ${reason}`, { field: field === '' ? root : field, reason });
}

function fieldName(segments: readonly string[]): string {
  return segments.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name === '' ? segment : `${name}.${segment}`), '');
}

/** The deepest `x-error-code` on the way from the root schema to the failing value. */
function errorCodeAt(schema: JsonSchema, segments: readonly string[]): string {
  let code = annotation(schema);
  let current: JsonSchema | undefined = schema;
  for (const segment of segments) {
    const properties = current['properties'] as Record<string, JsonSchema> | undefined;
    current = properties?.[segment] ?? (current['items'] as JsonSchema | undefined);
    if (current === undefined) break;
    code = annotation(current) ?? code;
  }
  return code ?? DEFAULT_VALIDATION_CODE;
}

const annotation = (schema: JsonSchema): string | undefined => {
  const code = schema[ERROR_CODE_KEYWORD];
  return typeof code === 'string' ? code : undefined;
};

function reasonOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = String(params['type']).split(',');
      return `must be ${types.map((type) => (type === 'object' ? 'a JSON object' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`)).join(' or ')}`;
    }
    case 'format': {
      const format = SCHEMA_FORMATS[params['format'] as keyof typeof SCHEMA_FORMATS];
      return format?.reason ?? `must be in the format ${String(params['format'])}`;
    }
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`;
    case 'minProperties':
      return `must have at least ${String(params['limit'])} field${params['limit'] === 1 ? '' : 's'}`;
    default:
      return error.message ?? 'is not valid';
  }
}
