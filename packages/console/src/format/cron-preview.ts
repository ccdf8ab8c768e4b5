import { parseExpression } from 'cron-parser';

/**
 * The next `count` instants of a UTC cron rule after `after`, as the scheduler's library reads it,
 * or null when it does not read it. A preview only: the API validates the rule when it is saved.
 */
export function nextCronRuns(rule: string, after: Date, count: number): Date[] | null {
  try {
    const expression = parseExpression(rule.trim(), { utc: true, currentDate: after });
    return Array.from({ length: count }, () => expression.next().toDate());
  } catch {
    return null;
  }
}
