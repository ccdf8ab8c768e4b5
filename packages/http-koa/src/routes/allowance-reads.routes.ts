import {
  type AllowanceScheduleRepository,
  findAllowanceSchedules,
  listAllowanceCredits,
  listGuardianAllowanceCredits,
} from '@banca/domain/ports';
import { HttpError } from '../http-error';
import type { AuthClaims } from '../middleware/auth.middleware';
import { errorResponse, uuidParams } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import { SCHEMA_FORMATS } from '../routing/schema-formats';
import { ADMIN_SCHEDULES_PAGE, ALLOWANCE_SEARCH_QUERY, CREDITS_PAGE, PAGE_QUERY } from './allowance-reads.schemas';

/** What the allowance reads need: the schedules repository, whose reads see deleted schedules for operators. */
export interface AllowanceReadsDeps {
  schedules: AllowanceScheduleRepository;
}

type PageQuery = { limit?: number; cursor?: string };
const NOT_FOUND = errorResponse('No such schedule (ALLOWANCE.NOT_FOUND)');

/** Operators find schedules and read their credits; guardians read their own schedules' credits. */
export function allowanceReadsRoutes(deps: AllowanceReadsDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/admin/allowances',
      operationId: 'findAllowanceSchedules',
      summary: 'The allowance schedules of a guardian or of a junior, deleted ones included, oldest first',
      description: 'Give exactly one of guardianId and juniorId (400 VALIDATION.INVALID_INPUT naming the field otherwise). Keyset pages.',
      tags: ['admin: allowance'],
      auth: 'admin',
      query: ALLOWANCE_SEARCH_QUERY,
      responses: {
        200: { description: 'A page of schedules, each with its last failure and whether it was deleted', schema: ADMIN_SCHEDULES_PAGE },
        400: errorResponse('Neither or both of guardianId and juniorId, or a bad id, limit or cursor (VALIDATION.INVALID_INPUT)'),
      },
      handler: async ({ query }) => ({ status: 200, body: await findAllowanceSchedules(deps, query as PageQuery & { guardianId?: string; juniorId?: string }) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/allowances/:scheduleId/credits',
      operationId: 'listAllowanceCredits',
      summary: "A schedule's credited runs, newest first (a deleted schedule's too)",
      tags: ['admin: allowance'],
      auth: 'admin',
      params: uuidParams('scheduleId'),
      query: PAGE_QUERY,
      responses: { 200: { description: 'A page of credits', schema: CREDITS_PAGE }, 404: NOT_FOUND },
      handler: async ({ params, query }) => ({ status: 200, body: await listAllowanceCredits(deps, { ...(query as PageQuery), scheduleId: params['scheduleId']! }) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/guardians/me/allowances/:scheduleId/credits',
      operationId: 'listGuardianAllowanceCredits',
      summary: "The credited runs of one of the caller's schedules, newest first",
      tags: ['allowance'],
      auth: 'guardian',
      params: uuidParams('scheduleId'),
      query: PAGE_QUERY,
      responses: { 200: { description: 'A page of credits', schema: CREDITS_PAGE }, 404: errorResponse("No such schedule among the caller's (ALLOWANCE.NOT_FOUND)") },
      handler: async ({ auth, params, query }) => ({
        status: 200,
        body: await listGuardianAllowanceCredits(deps, { ...(query as PageQuery), guardianId: guardianIdOf(auth), scheduleId: params['scheduleId']! }),
      }),
    }),
  ];
}

/** Guardians are UUIDs; a guardian token with another kind of subject can own nothing. */
function guardianIdOf(auth: AuthClaims): string {
  if (!SCHEMA_FORMATS.uuid.validate(auth.sub)) throw new HttpError(401, 'AUTH.INVALID_TOKEN', "the token's subject is not a guardian id");
  return auth.sub;
}
