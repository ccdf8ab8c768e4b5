import { parseArgs } from 'node:util';
import { ACCOUNT_DIMENSIONS, assertMonth, DomainError, type AccountDimension } from '@banca/domain';
import { type ReconcileMonthOptions } from '@banca/domain/ports';
import { adminOperationsOf } from '../../admin/admin-operations';
import { EXIT, UsageError } from '../cli-errors';
import { reconciliationTable } from '../reconciliation-table';
import { withCliContainer } from './process-env';

/**
 * `banca reconcile --month YYYY-MM [--dimension D] [--entity ID] [--limit N] [--json]`: exit 0 when
 * the month is clean, 1 with discrepancies, 2 for bad input; a table, or the report as JSON.
 */
export async function reconcileCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (positionals.length > 0) throw new UsageError(`reconcile takes no positional arguments, got ${positionals.join(' ')}`);
  if (values.month === undefined) throw new UsageError('reconcile needs --month YYYY-MM');
  const options: ReconcileMonthOptions = { month: assertMonth(values.month) };
  if (values.dimension !== undefined) options.dimension = dimensionOf(values.dimension);
  if (values.entity !== undefined) options.entityId = values.entity;
  if (values.limit !== undefined) options.limit = limitOf(values.limit);
  return withCliContainer(async ({ container }) => {
    const report = await (await adminOperationsOf(container)).reconcile(options);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : reconciliationTable(report));
    return report.clean ? EXIT.ok : EXIT.failed;
  });
}

function dimensionOf(value: string): AccountDimension {
  if (!(ACCOUNT_DIMENSIONS as readonly string[]).includes(value)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid --dimension ${JSON.stringify(value)}: expected vendedor, ventana or banca`, { field: 'dimension', value });
  }
  return value as AccountDimension;
}

function limitOf(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid --limit ${JSON.stringify(value)}: expected a positive integer`, { field: 'limit', value });
  }
  return Number(value);
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { month: { type: 'string' }, dimension: { type: 'string' }, entity: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
