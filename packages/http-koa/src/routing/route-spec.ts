import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { AuthClaims, Role } from '../middleware/auth.middleware';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteAuth = Role | 'public';

export interface RouteResponseSpec {
  description: string;
  /** The JSON body; none for a response without content (204). With `mediaType`, the schema of the text (a string by default). */
  schema?: JsonSchema;
  /**
   * A text body of this media type instead of JSON (`text/plain; version=0.0.4; charset=utf-8`): the
   * handler returns the body as a string and the router sends it with this Content-Type.
   */
  mediaType?: string;
  /**
   * Other representations of the same answer, chosen by the client's `Accept` header (the CSV of a
   * JSON page): text media types whose body the handler returns as a string or streams. A route whose
   * responses offer any is negotiated: an `Accept` that takes none of its media types is 406
   * `HTTP.NOT_ACCEPTABLE`, and the answer says `Vary: Accept`.
   */
  alternatives?: readonly RouteRepresentation[];
}

/** A text representation offered beside a response's primary one. */
export interface RouteRepresentation {
  /** `text/csv; charset=utf-8`: what the Content-Type says; `Accept` is matched on its type/subtype. */
  mediaType: string;
  description?: string;
  /** The text's schema in the document (a string by default). */
  schema?: JsonSchema;
}

export interface RouteRequest<A extends RouteAuth = RouteAuth> {
  /** Path parameters, valid against the route's `params` schema. */
  params: Readonly<Record<string, string>>;
  /** Query parameters, typed and valid against the route's `query` schema; empty when it takes none. */
  query: Readonly<Record<string, unknown>>;
  /** The JSON body, valid against the route's `body` schema; undefined when the route takes none. */
  body: unknown;
  /** The verified token's claims; null only on public routes. */
  auth: A extends 'public' ? null : AuthClaims;
  /**
   * The representation negotiated for a successful answer: the media type of the route's success
   * response (`application/json` unless it declares a text one), or one of its `alternatives` the
   * client's `Accept` prefers.
   */
  mediaType: string;
  ctx: Context;
}

export interface RouteResult {
  status: number;
  /**
   * JSON data; for a text representation a string, or a `Readable` the router streams as it comes (its
   * failure aborts the connection, so a cut-off answer never looks whole).
   */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

export type StreamedBody = Readable;

/**
 * One HTTP operation as data: the router validates requests with its schemas before the handler
 * runs, and the OpenAPI document is generated from the same object.
 */
export interface RouteSpec<A extends RouteAuth = RouteAuth> {
  method: HttpMethod;
  /** Koa style: `/guardians/me/allowances/:scheduleId`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: readonly string[];
  auth: A;
  /** An object schema with one property per `:name` in the path. */
  params?: JsonSchema;
  /**
   * An object schema with `additionalProperties: false` of scalar properties (string, integer,
   * boolean); a route without one refuses any query parameter.
   */
  query?: JsonSchema;
  /** An object schema with `additionalProperties: false`; a route without one takes no body. */
  body?: JsonSchema;
  /** The body may be left out (the handler then gets undefined); a body sent is still checked against `body`. */
  bodyOptional?: boolean;
  /** Every status the handler returns. Error statuses of auth and validation are added to the document. */
  responses: Readonly<Record<number, RouteResponseSpec>>;
  handler(request: RouteRequest<A>): Promise<RouteResult> | RouteResult;
}

const PATH_PARAM = /:([A-Za-z_][A-Za-z0-9_]*)/g;

export const pathParamNames = (path: string): string[] => [...path.matchAll(PATH_PARAM)].map((match) => match[1]!);

/** `/a/:id` → `/a/{id}`. */
export const openApiPath = (path: string): string => path.replace(PATH_PARAM, '{$1}');

/**
 * Checks a route spec once, when it is defined, so a mistake fails at start-up rather than on a request:
 * every path parameter has a schema (and no schema names a parameter the path lacks), bodies and
 * queries refuse unknown fields, query parameters are scalars, an optional body has a schema, at
 * least one response is declared, and a text response does not call itself JSON.
 */
export function defineRoute<const A extends RouteAuth>(spec: RouteSpec<A>): RouteSpec<A> {
  const where = `${spec.method} ${spec.path} (${spec.operationId})`;
  const pathNames = pathParamNames(spec.path).sort();
  const schemaNames = Object.keys(propertiesOf(spec.params)).sort();
  if (pathNames.join() !== schemaNames.join()) {
    throw new Error(`${where}: params schema properties [${schemaNames.join(', ')}] must match the path parameters [${pathNames.join(', ')}]`);
  }
  if (spec.body !== undefined && (spec.body['type'] !== 'object' || spec.body['additionalProperties'] !== false)) {
    throw new Error(`${where}: a body schema must be an object with additionalProperties: false`);
  }
  if (spec.bodyOptional === true && spec.body === undefined) throw new Error(`${where}: bodyOptional needs a body schema`);
  if (spec.query !== undefined) {
    if (spec.query['type'] !== 'object' || spec.query['additionalProperties'] !== false) {
      throw new Error(`${where}: a query schema must be an object with additionalProperties: false`);
    }
    for (const [name, property] of Object.entries(propertiesOf(spec.query))) {
      if (!['string', 'integer', 'boolean'].includes(property['type'] as string)) throw new Error(`${where}: query parameter ${name} must be a string, integer or boolean`);
    }
  }
  if (Object.keys(spec.responses).length === 0) throw new Error(`${where}: declare at least one response`);
  for (const [status, response] of Object.entries(spec.responses)) {
    if (response.mediaType !== undefined && /json/i.test(response.mediaType)) {
      throw new Error(`${where}: response ${status} is JSON, so it takes a schema and no mediaType`);
    }
    const types = [primaryMediaType(response), ...(response.alternatives ?? []).map((alternative) => alternative.mediaType)].map(typeOfMediaType);
    if (new Set(types).size !== types.length) throw new Error(`${where}: response ${status} offers the media type ${types.join(', ')} more than once`);
    for (const alternative of response.alternatives ?? []) {
      if (/json/i.test(alternative.mediaType)) throw new Error(`${where}: response ${status} may offer text alternatives only, not ${alternative.mediaType}`);
    }
  }
  return spec;
}

export const JSON_MEDIA_TYPE = 'application/json';

/** The media type a response is sent in unless the client asks for an alternative. */
export const primaryMediaType = (response: RouteResponseSpec): string => response.mediaType ?? JSON_MEDIA_TYPE;

/** `text/csv; charset=utf-8` → `text/csv`, what `Accept` is matched on. */
export const typeOfMediaType = (mediaType: string): string => mediaType.split(';')[0]!.trim().toLowerCase();

/** The success response whose representations a route offers: its lowest 2xx status. */
export function successResponse(spec: RouteSpec): RouteResponseSpec | undefined {
  const status = Object.keys(spec.responses)
    .map(Number)
    .filter((code) => code >= 200 && code < 300)
    .sort((a, b) => a - b)[0];
  return status === undefined ? undefined : spec.responses[status];
}

/** The schema of a response's body: a text response is a string unless its spec says more; undefined for no body. */
export function responseBodySchema(response: RouteResponseSpec): JsonSchema | undefined {
  return response.schema ?? (response.mediaType === undefined ? undefined : TEXT_BODY_SCHEMA);
}

const TEXT_BODY_SCHEMA: JsonSchema = { type: 'string' };

export function propertiesOf(schema: JsonSchema | undefined): Readonly<Record<string, JsonSchema>> {
  return (schema?.['properties'] ?? {}) as Readonly<Record<string, JsonSchema>>;
}
