/**
 * A business rule refused an input or a state change. `code` is stable data
 * (`AREA.REASON`) that callers branch on and HTTP maps to a status; `message`
 * is for people; `details` carries the offending values, never request context.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Re-throws a field's domain error with the field named in its details, for precise API errors. */
export function withField<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.code, `${field}: ${error.message}`, { ...error.details, field });
    throw error;
  }
}

/** Every code the domain throws, so adapters can map them exhaustively. */
export const DOMAIN_ERROR_CODES = [
  'TIME.INVALID_DATE',
  'TIME.INVALID_MONTH',
  'TIME.INVALID_TIME',
  'TIME.INVALID_INSTANT',
  'MONEY.INVALID_AMOUNT',
  'LOTERIA.INVALID_DRAW_SCHEDULE',
  'SORTEO.INVALID_TRANSITION',
  'SETTLEMENT.INVALID_CONFIG',
  'SCHEDULE.INVALID_CRON',
  'JOB.UNKNOWN',
  'JOB.ALREADY_RUNNING',
  'JOB.INVALID_OPTIONS',
  'JOB.RUN_NOT_FOUND',
  'ALLOWANCE.INVALID_FREQUENCY',
  'ALLOWANCE.INVALID_STATUS',
  'ALLOWANCE.INVALID_SCHEDULE',
  'ALLOWANCE.START_IN_PAST',
  'ALLOWANCE.START_TOO_FAR',
  'ALLOWANCE.ALREADY_EXISTS',
  'ALLOWANCE.NOT_FOUND',
  'ALLOWANCE.INVALID_RUN',
  'ALLOWANCE.INSUFFICIENT_FUNDS',
  'ALLOWANCE.SCHEDULE_CHANGED',
  'ALLOWANCE.QUEUE_UNAVAILABLE',
  'DEAD_LETTER.NOT_FOUND',
  'JUNIOR.NOT_FOUND',
  'ENTITY.NOT_FOUND',
  'CLOSING.INVALID_DIMENSION',
  'CLOSING.MONTH_NOT_ENDED',
  'CLOSING.NOT_FOUND',
  'CLEANUP.INVALID_RETENTION',
  'VALIDATION.INVALID_INPUT',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
