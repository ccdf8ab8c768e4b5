import type { OpenApiDocument } from '../openapi/openapi';
import { defineRoute, type RouteSpec } from '../routing/route-spec';

export const OPENAPI_PATH = '/openapi.json';

const OPENAPI_DOCUMENT_SCHEMA = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } },
};

/** `GET /openapi.json`: the document of every route the app serves, this one included. */
export function openApiRoute(document: () => OpenApiDocument): RouteSpec {
  return defineRoute({
    method: 'GET',
    path: OPENAPI_PATH,
    operationId: 'getOpenApiDocument',
    summary: 'The OpenAPI 3.1 description of this API',
    tags: ['meta'],
    auth: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: OPENAPI_DOCUMENT_SCHEMA } },
    handler: () => ({ status: 200, body: document() }),
  });
}
