import type { Context } from 'koa';

/** Label of requests no route matched, in logs and timings (keeps metric labels bounded). */
export const UNMATCHED_ROUTE = '(unmatched)';

const ROUTE = 'route';
const REQUEST_ID = 'requestId';

/** The route template (`/guardians/me/allowances/:scheduleId`), never the raw path. */
export const routeOf = (ctx: Context): string => (typeof ctx.state[ROUTE] === 'string' ? (ctx.state[ROUTE] as string) : UNMATCHED_ROUTE);
export const setRoute = (ctx: Context, route: string): void => {
  ctx.state[ROUTE] = route;
};

export const requestIdOf = (ctx: Context): string | undefined => ctx.state[REQUEST_ID] as string | undefined;
export const setRequestId = (ctx: Context, id: string): void => {
  ctx.state[REQUEST_ID] = id;
};
