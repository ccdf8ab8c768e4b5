import { ERROR_BODY_SCHEMA, errorResponse as error } from '../routing/http-schemas';
import { type JsonSchema, type RouteResponseSpec, type RouteSpec, openApiPath, pathParamNames, primaryMediaType, propertiesOf, responseBodySchema } from '../routing/route-spec';

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** Keyed by media type: `application/json`, or a text type such as `text/plain; version=0.0.4; charset=utf-8`. */
type OpenApiResponse = { description: string; content?: Record<string, { schema: JsonSchema }> };

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  security: Array<Record<string, string[]>>;
  'x-required-role'?: string;
  parameters?: Array<{ name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }>;
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: { Error: JsonSchema };
    securitySchemes: { bearerAuth: { type: 'http'; scheme: 'bearer'; bearerFormat: 'JWT' } };
  };
}

const ERROR_REF: JsonSchema = { $ref: '#/components/schemas/Error' };

/** The OpenAPI 3.1 document of the route specs: the same objects the router validates with. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], info: OpenApiInfo): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: ERROR_BODY_SCHEMA },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

function operationOf(route: RouteSpec): OpenApiOperation {
  const operation: OpenApiOperation = {
    operationId: route.operationId,
    summary: route.summary,
    security: route.auth === 'public' ? [] : [{ bearerAuth: [] }],
    responses: {},
  };
  if (route.description !== undefined) operation.description = route.description;
  if (route.tags !== undefined) operation.tags = [...route.tags];
  if (route.auth !== 'public') operation['x-required-role'] = route.auth;
  const parameterSchemas = propertiesOf(route.params);
  const names = pathParamNames(route.path);
  const required = new Set((route.query?.['required'] as string[] | undefined) ?? []);
  const parameters = [
    ...names.map((name) => ({ name, in: 'path' as const, required: true, schema: parameterSchemas[name]! })),
    ...Object.entries(propertiesOf(route.query)).map(([name, schema]) => ({ name, in: 'query' as const, required: required.has(name), schema })),
  ];
  if (parameters.length > 0) operation.parameters = parameters;
  if (route.body !== undefined) operation.requestBody = { required: route.bodyOptional !== true, content: { 'application/json': { schema: route.body } } };
  const responses: Record<string, RouteResponseSpec> = {};
  for (const [status, response] of Object.entries(route.responses)) responses[status] = response;
  for (const [status, response] of implicitResponses(route)) responses[status] ??= response;
  operation.responses = Object.fromEntries(
    Object.keys(responses)
      .sort()
      .map((status) => [status, openApiResponse(responses[status]!)]),
  );
  return operation;
}

/** The refusals the router itself produces before a handler runs. */
function implicitResponses(route: RouteSpec): Array<[string, RouteResponseSpec]> {
  const implicit: Array<[string, RouteResponseSpec]> = [];
  if (route.params !== undefined || route.query !== undefined || route.body !== undefined) implicit.push(['400', error('Invalid input: VALIDATION.INVALID_INPUT, the field\'s own x-error-code, or HTTP.INVALID_JSON')]);
  if (route.auth !== 'public') {
    implicit.push(['401', error('Missing, invalid or expired bearer token, or one valid for longer than the service accepts (AUTH.TOKEN_TOO_LONG_LIVED)')]);
    implicit.push(['403', error(`The token's role is not ${route.auth}`)]);
  }
  if (Object.values(route.responses).some((response) => (response.alternatives ?? []).length > 0)) {
    implicit.push(['406', error('The Accept header takes none of the media types this operation answers in (HTTP.NOT_ACCEPTABLE)')]);
  }
  if (route.body !== undefined) {
    implicit.push(['413', error('Request body over the size limit')]);
    implicit.push(['415', error('Request body is not application/json')]);
  }
  return implicit;
}

/** A response's content, one entry per media type it may be sent in: its primary one, then its alternatives (chosen by `Accept`). */
function openApiResponse(response: RouteResponseSpec): OpenApiResponse {
  const body = responseBodySchema(response);
  if (body === undefined) return { description: response.description };
  const schema = body === ERROR_BODY_SCHEMA ? ERROR_REF : body;
  const content: Record<string, { schema: JsonSchema }> = { [primaryMediaType(response)]: { schema } };
  let description = response.description;
  for (const alternative of response.alternatives ?? []) {
    content[alternative.mediaType] = { schema: alternative.schema ?? { type: 'string' } };
    // A media type object has no description of its own: the response's says what each one holds.
    if (alternative.description !== undefined) description += `. As ${alternative.mediaType} (Accept): ${alternative.description}`;
  }
  return { description, content };
}
