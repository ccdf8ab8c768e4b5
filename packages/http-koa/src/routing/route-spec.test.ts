import { expect } from 'chai';
import { uuidParams } from './http-schemas';
import { defineRoute, type RouteSpec } from './route-spec';

const spec = (overrides: Partial<RouteSpec<'public'>>): RouteSpec<'public'> => ({
  method: 'POST',
  path: '/things/:thingId',
  operationId: 'createThing',
  summary: 'A thing',
  auth: 'public',
  params: uuidParams('thingId'),
  body: { type: 'object', additionalProperties: false, properties: {} },
  responses: { 204: { description: 'Done' } },
  handler: () => ({ status: 204 }),
  ...overrides,
});

describe('defineRoute refuses a spec the router and the document could not agree on', () => {
  it('accepts a complete spec', () => {
    expect(() => defineRoute(spec({}))).not.to.throw();
  });

  it('refuses a path parameter without a schema, or a schema for a parameter the path lacks', () => {
    expect(() => defineRoute(spec({ params: undefined }))).to.throw(/must match the path parameters \[thingId\]/);
    expect(() => defineRoute(spec({ params: uuidParams('thingId', 'ownerId') }))).to.throw(/must match the path parameters/);
  });

  it('refuses a body schema that lets unknown fields through', () => {
    expect(() => defineRoute(spec({ body: { type: 'object', properties: {} } }))).to.throw(/additionalProperties: false/);
  });

  it('refuses an optional body without a body schema', () => {
    expect(() => defineRoute(spec({ body: undefined, bodyOptional: true }))).to.throw(/bodyOptional needs a body schema/);
  });

  it('refuses a text response that calls itself JSON', () => {
    expect(() => defineRoute(spec({ responses: { 200: { description: 'Text', mediaType: 'text/csv' } } }))).not.to.throw();
    expect(() => defineRoute(spec({ responses: { 200: { description: 'JSON', mediaType: 'application/json' } } }))).to.throw(/takes a schema and no mediaType/);
  });

  it('refuses an alternative representation that is JSON, or that repeats a media type', () => {
    const csv = { mediaType: 'text/csv; charset=utf-8' };
    expect(() => defineRoute(spec({ responses: { 200: { description: 'Rows', schema: {}, alternatives: [csv] } } }))).not.to.throw();
    expect(() => defineRoute(spec({ responses: { 200: { description: 'Rows', schema: {}, alternatives: [{ mediaType: 'application/json' }] } } }))).to.throw(/more than once/);
    expect(() => defineRoute(spec({ responses: { 200: { description: 'Rows', schema: {}, alternatives: [{ mediaType: 'application/vnd.rows+json' }] } } }))).to.throw(/text alternatives only/);
    expect(() => defineRoute(spec({ responses: { 200: { description: 'Rows', schema: {}, alternatives: [csv, { mediaType: 'text/csv' }] } } }))).to.throw(/more than once/);
  });

  it('refuses a spec without responses', () => {
    expect(() => defineRoute(spec({ responses: {} }))).to.throw(/at least one response/);
  });
});
