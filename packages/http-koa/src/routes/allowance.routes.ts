import { toAllowanceScheduleView } from '@banca/domain';
import {
  type AllowanceScheduleRepository,
  type Clock,
  createAllowanceSchedule,
  deleteAllowanceSchedule,
  getAllowanceSchedule,
  listAllowanceSchedules,
  updateAllowanceSchedule,
} from '@banca/domain/ports';
import { HttpError } from '../http-error';
import type { AuthClaims } from '../middleware/auth.middleware';
import { errorResponse, uuidParams } from '../routing/http-schemas';
import { defineRoute, type RouteSpec } from '../routing/route-spec';
import { SCHEMA_FORMATS } from '../routing/schema-formats';
import { ALLOWANCE_SCHEDULE_LIST, ALLOWANCE_SCHEDULE_VIEW, CREATE_ALLOWANCE_BODY, UPDATE_ALLOWANCE_BODY } from './allowance.schemas';

export interface AllowanceRoutesDeps {
  schedules: AllowanceScheduleRepository;
  clock: Clock;
}

const BASE = '/guardians/me/allowances';
const TAGS = ['allowance'];
const SCHEDULE_NOT_FOUND = errorResponse('No such schedule among the caller\'s (ALLOWANCE.NOT_FOUND)');

/** The guardian allowance API (docs/architecture.md, Allowance): the guardian is the token's subject. */
export function allowanceRoutes(deps: AllowanceRoutesDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      path: `${BASE}/:juniorId`,
      operationId: 'createAllowanceSchedule',
      summary: 'Create the allowance schedule of one of the caller\'s juniors',
      tags: TAGS,
      auth: 'guardian',
      params: uuidParams('juniorId'),
      body: CREATE_ALLOWANCE_BODY,
      responses: {
        201: { description: 'The new schedule', schema: ALLOWANCE_SCHEDULE_VIEW },
        404: errorResponse('The junior is not one of the caller\'s (JUNIOR.NOT_FOUND)'),
        409: errorResponse('The junior already has a schedule (ALLOWANCE.ALREADY_EXISTS)'),
      },
      handler: async ({ auth, params, body }) => {
        const schedule = await createAllowanceSchedule(deps, { guardianId: guardianIdOf(auth), juniorId: params['juniorId']!, body });
        return { status: 201, body: toAllowanceScheduleView(schedule), headers: { Location: `${BASE}/${schedule.id}` } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: BASE,
      operationId: 'listAllowanceSchedules',
      summary: 'The caller\'s allowance schedules, oldest first',
      tags: TAGS,
      auth: 'guardian',
      responses: { 200: { description: 'The schedules', schema: ALLOWANCE_SCHEDULE_LIST } },
      handler: async ({ auth }) => {
        const schedules = await listAllowanceSchedules(deps, { guardianId: guardianIdOf(auth) });
        return { status: 200, body: { schedules: schedules.map(toAllowanceScheduleView) } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${BASE}/:scheduleId`,
      operationId: 'getAllowanceSchedule',
      summary: 'One of the caller\'s allowance schedules',
      tags: TAGS,
      auth: 'guardian',
      params: uuidParams('scheduleId'),
      responses: { 200: { description: 'The schedule', schema: ALLOWANCE_SCHEDULE_VIEW }, 404: SCHEDULE_NOT_FOUND },
      handler: async ({ auth, params }) => {
        const schedule = await getAllowanceSchedule(deps, { guardianId: guardianIdOf(auth), scheduleId: params['scheduleId']! });
        return { status: 200, body: toAllowanceScheduleView(schedule) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: `${BASE}/:scheduleId`,
      operationId: 'updateAllowanceSchedule',
      summary: 'Change the amount, frequency or status of one of the caller\'s schedules',
      description: 'Turning a schedule ON again resumes at the first occurrence at or after now; paused time is not paid.',
      tags: TAGS,
      auth: 'guardian',
      params: uuidParams('scheduleId'),
      body: UPDATE_ALLOWANCE_BODY,
      responses: { 200: { description: 'The updated schedule', schema: ALLOWANCE_SCHEDULE_VIEW }, 404: SCHEDULE_NOT_FOUND },
      handler: async ({ auth, params, body }) => {
        const schedule = await updateAllowanceSchedule(deps, { guardianId: guardianIdOf(auth), scheduleId: params['scheduleId']!, body });
        return { status: 200, body: toAllowanceScheduleView(schedule) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${BASE}/:scheduleId`,
      operationId: 'deleteAllowanceSchedule',
      summary: 'Delete one of the caller\'s schedules (credits already made stay)',
      tags: TAGS,
      auth: 'guardian',
      params: uuidParams('scheduleId'),
      responses: { 204: { description: 'Deleted' }, 404: SCHEDULE_NOT_FOUND },
      handler: async ({ auth, params }) => {
        await deleteAllowanceSchedule(deps, { guardianId: guardianIdOf(auth), scheduleId: params['scheduleId']! });
        return { status: 204 };
      },
    }),
  ];
}

/** Guardians are UUIDs; a guardian token with another kind of subject can own nothing. */
function guardianIdOf(auth: AuthClaims): string {
  if (!SCHEMA_FORMATS.uuid.validate(auth.sub)) throw new HttpError(401, 'AUTH.INVALID_TOKEN', 'the token\'s subject is not a guardian id');
  return auth.sub;
}
