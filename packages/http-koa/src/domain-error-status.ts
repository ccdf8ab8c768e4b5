import type { DomainErrorCode } from '@banca/domain';

// A Record rather than rules on the code's text: a code added to the domain does not compile here
// until someone decides its status.
const STATUS_OF_DOMAIN_ERROR: Readonly<Record<DomainErrorCode, number>> = {
  'TIME.INVALID_DATE': 400,
  'TIME.INVALID_MONTH': 400,
  'TIME.INVALID_TIME': 400,
  'TIME.INVALID_INSTANT': 400,
  'MONEY.INVALID_AMOUNT': 400,
  'LOTERIA.INVALID_DRAW_SCHEDULE': 400,
  'SORTEO.INVALID_TRANSITION': 409,
  'SETTLEMENT.INVALID_CONFIG': 400,
  'SCHEDULE.INVALID_CRON': 400,
  'JOB.UNKNOWN': 404,
  'JOB.ALREADY_RUNNING': 409,
  'JOB.INVALID_OPTIONS': 400,
  'ALLOWANCE.INVALID_FREQUENCY': 400,
  'ALLOWANCE.INVALID_STATUS': 400,
  'ALLOWANCE.INVALID_SCHEDULE': 400,
  'ALLOWANCE.START_IN_PAST': 400,
  'ALLOWANCE.START_TOO_FAR': 400,
  'ALLOWANCE.ALREADY_EXISTS': 409,
  'ALLOWANCE.NOT_FOUND': 404,
  'ALLOWANCE.INVALID_RUN': 400,
  'ALLOWANCE.INSUFFICIENT_FUNDS': 409,
  'ALLOWANCE.QUEUE_UNAVAILABLE': 503,
  'DEAD_LETTER.NOT_FOUND': 404,
  'JUNIOR.NOT_FOUND': 404,
  'CLOSING.INVALID_DIMENSION': 400,
  'CLOSING.MONTH_NOT_ENDED': 400,
  'CLEANUP.INVALID_RETENTION': 400,
  'VALIDATION.INVALID_INPUT': 400,
};

/** The HTTP status of each domain error code: the code says what went wrong, the status how to react. */
export function statusOfDomainError(code: DomainErrorCode): number {
  return STATUS_OF_DOMAIN_ERROR[code] ?? 400;
}
