import { parseArgs } from 'node:util';
import { seedDemo, seedScale } from '@banca/adapters-postgres';
import { assertMonth, previousCRMonth } from '@banca/domain';
import { type Logger } from '@banca/domain/ports';
import type { BancaConfig } from '../../config/env.config';
import type { BancaDatabase } from '@banca/adapters-postgres';
import { ServiceIds } from '../../composition/service-ids';
import { EXIT, UsageError } from '../cli-errors';
import { createProgress } from '../progress';
import { withCliContainer } from './process-env';

const SCALE_OPTIONS = {
  tickets: { min: 1, max: 100_000_000, fallback: 2_000_000 },
  vendedores: { min: 1, max: 1_000_000, fallback: 10_000 },
  ventanas: { min: 1, max: 100_000, fallback: 1_000 },
  bancas: { min: 1, max: 10_000, fallback: 100 },
  'activity-logs': { min: 0, max: 100_000_000, fallback: 0 },
} as const;

/** `banca seed --demo` (a small believable banca) or `banca seed --scale …` (benchmark volumes, generated in SQL). */
export async function seedCommand(args: string[]): Promise<number> {
  const values = parse(args);
  if (Boolean(values.demo) === Boolean(values.scale)) throw new UsageError('seed needs exactly one of --demo or --scale');
  if (values.demo) {
    const extra = Object.keys(values).filter((key) => key !== 'demo');
    if (extra.length > 0) throw new UsageError(`--demo takes no other option, got --${extra.join(', --')}`);
    return withCliContainer(async ({ container, logger }) => {
      const result = await seedDemo((await container.getAsync(ServiceIds.Database)).knex, { now: new Date() });
      logger.info('SEED_DEMO_COMPLETE', { ...result });
      return EXIT.ok;
    });
  }
  const sizes = Object.fromEntries(
    Object.entries(SCALE_OPTIONS).map(([name, rule]) => [name, wholeNumber(name, values[name as keyof typeof values] as string | undefined, rule)]),
  ) as Record<keyof typeof SCALE_OPTIONS, number>;
  const month = values.month === undefined ? previousCRMonth(new Date()) : assertMonth(values.month);
  return withCliContainer(async ({ container, logger }) => {
    const progress = createProgress('seeding tickets', sizes.tickets, logger);
    const result = await seedScale((await container.getAsync(ServiceIds.Database)).knex, {
      tickets: sizes.tickets,
      vendedores: sizes.vendedores,
      ventanas: sizes.ventanas,
      bancas: sizes.bancas,
      activityLogs: sizes['activity-logs'],
      month,
      onProgress: ({ step, done }) => {
        if (step === 'tickets') progress.update(done);
      },
    });
    progress.finish();
    logger.info('SEED_SCALE_COMPLETE', { ...result });
    return EXIT.ok;
  });
}

/** On the embedded default, the demo banca is added once, on the first start (docs/architecture.md, Configuration). */
export function seedDemoOnFirstStart(config: BancaConfig, logger: Logger): ((database: BancaDatabase) => Promise<void>) | undefined {
  if (!config.demoData || config.databaseUrl) return undefined;
  return async (database) => {
    const result = await seedDemo(database.knex, { now: new Date() });
    logger.info('SEED_DEMO_COMPLETE', { ...result });
  };
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        demo: { type: 'boolean' },
        scale: { type: 'boolean' },
        month: { type: 'string' },
        ...Object.fromEntries(Object.keys(SCALE_OPTIONS).map((name) => [name, { type: 'string' as const }])),
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function wholeNumber(name: string, text: string | undefined, rule: { min: number; max: number; fallback: number }): number {
  if (text === undefined) return rule.fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < rule.min || value > rule.max) throw new UsageError(`--${name} must be a whole number from ${rule.min} to ${rule.max}`);
  return value;
}
