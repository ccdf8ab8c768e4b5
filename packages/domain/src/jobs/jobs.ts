import { DomainError } from '../kernel/domain-error';

/** The jobs table (docs/architecture.md, Time): UTC cron rule, Costa Rica local time, purpose, and the action of its completion log. */
export const JOBS = {
  'sorteos.auto-open': {
    cron: '0 7 * * *',
    crTime: '01:00',
    description: "open today's SCHEDULED sorteos",
    completeAction: 'SORTEOS_AUTO_OPEN_COMPLETE',
  },
  'sorteos.auto-create': {
    cron: '30 7 * * *',
    crTime: '01:30',
    description: 'create sorteos 7 days ahead',
    completeAction: 'SORTEOS_AUTO_CREATE_COMPLETE',
  },
  'sorteos.auto-close': {
    cron: '0 4 * * *',
    crTime: '22:00 (previous CR day)',
    description: 'close past OPEN sorteos with no sales',
    completeAction: 'SORTEOS_AUTO_CLOSE_COMPLETE',
  },
  settlement: {
    cron: '0 3 * * *',
    crTime: '21:00',
    description: 'settle old account statements (rule from the settlement config)',
    completeAction: 'SETTLEMENT_COMPLETE',
  },
  'monthly-closing': {
    cron: '0 8 1 * *',
    crTime: '02:00 on the 1st',
    description: 'close the previous CR month',
    completeAction: 'MONTHLY_CLOSING_COMPLETE',
  },
  'activity-log.cleanup': {
    cron: '0 2 * * *',
    crTime: '20:00',
    description: 'delete activity logs older than 45 days',
    completeAction: 'ACTIVITY_LOG_CLEANUP_COMPLETE',
  },
  'allowance.enqueue': {
    cron: '*/5 * * * *',
    crTime: '—',
    description: 'publish due allowance runs',
    completeAction: 'ALLOWANCE_ENQUEUE_COMPLETE',
  },
} as const satisfies Record<string, { cron: string; crTime: string; description: string; completeAction: string }>;

export type JobName = keyof typeof JOBS;

/** Who ran a job, in the completion payloads: the user id of a manual run, `SYSTEM` for a scheduled one. */
export const SYSTEM_USER = 'SYSTEM';

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export const isJobName = (name: unknown): name is JobName => typeof name === 'string' && Object.hasOwn(JOBS, name);

/** Validates a job name; throws JOB.UNKNOWN listing the known ones. */
export function assertJobName(name: string): JobName {
  if (!isJobName(name)) {
    throw new DomainError('JOB.UNKNOWN', `unknown job ${JSON.stringify(name)}: expected one of ${JOB_NAMES.join(', ')}`, { value: name });
  }
  return name;
}

/** `<JOB>_SCHEDULED` and the other per-job actions: `sorteos.auto-open` → `SORTEOS_AUTO_OPEN`. */
export const jobActionPrefix = (name: JobName): string => name.replace(/[.-]/g, '_').toUpperCase();

/** The longest user id a manual run records (`settled_by`, `executedBy`): an operator's name or a UUID fits. */
export const MAX_USER_ID_LENGTH = 128;

/** Validates the user a manual run is recorded for; throws JOB.INVALID_OPTIONS. */
export function assertUserId(userId: string): string {
  if (userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw new DomainError('JOB.INVALID_OPTIONS', `a user id has 1 to ${MAX_USER_ID_LENGTH} characters, got ${userId.length}`, { field: 'userId', length: userId.length });
  }
  return userId;
}
