import { types } from 'pg';

const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;

/**
 * Business dates and money must come back exactly as stored (docs/architecture.md, Time):
 * `date` as its 'YYYY-MM-DD' text (a Date at the process's local midnight is the classic
 * off-by-one), `numeric` and `bigint` as strings (never a float). Idempotent; call before connecting.
 */
export function installPgTypeParsers(): void {
  types.setTypeParser(DATE_OID, (value: string) => value);
  types.setTypeParser(NUMERIC_OID, (value: string) => value);
  types.setTypeParser(INT8_OID, (value: string) => value);
}
