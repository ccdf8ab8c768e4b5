import { expect } from 'chai';
import { DomainError } from '@banca/domain';
import { createPostgresKnex } from '@banca/adapters-postgres';
import { usePostgresSchema } from '@banca/test-support';
import { runJob } from './run-job';

describe('runJob, the typed entry point, on real PostgreSQL', () => {
  const schema = usePostgresSchema('run_job');
  const env = () => ({
    DATABASE_URL: `${schema.current.connectionString}?options=${encodeURIComponent(`-c search_path=${schema.current.schema}`)}`,
    LOG_LEVEL: 'error',
  });

  it('runs a job at the given instant and returns its summary', async () => {
    const first = await runJob('sorteos.auto-create', { env: env(), now: new Date('2025-06-02T07:30:00Z') });
    expect(first).to.deep.include({ status: 'SUCCESS', job: 'sorteos.auto-create' });
    const knex = createPostgresKnex(schema.current.connection);
    try {
      await knex('loterias').insert({ name: 'Tiempos', rules_json: { drawSchedule: { frequency: 'diario', times: ['12:55', '16:30', '19:30'] } } });
      const second = await runJob('sorteos.auto-create', { env: env(), now: new Date('2025-06-02T07:30:00Z') });
      expect(second.status).to.equal('SUCCESS');
      expect((second as { summary: { createdCount: number } }).summary.createdCount).to.equal(21);
      const [{ count }] = await knex('sorteos').count<{ count: string }[]>('* as count');
      expect(count).to.equal('21');
      const runs = await knex('cron_runs').select('job_name', 'status', 'processed_count').orderBy('id');
      expect(runs).to.deep.equal([
        { job_name: 'sorteos.auto-create', status: 'SUCCESS', processed_count: 0 },
        { job_name: 'sorteos.auto-create', status: 'SUCCESS', processed_count: 21 },
      ]);
    } finally {
      await knex.destroy();
    }
  });

  it('refuses bad input before anything runs', async () => {
    for (const [name, options, code] of [
      ['monthly-closing', { month: '2025-13' }, 'TIME.INVALID_MONTH'],
      ['settlement', { month: '2025-05' }, 'JOB.INVALID_OPTIONS'],
      ['settle', {}, 'JOB.UNKNOWN'],
      ['settlement', { now: new Date('nope') }, 'TIME.INVALID_INSTANT'],
    ] as const) {
      const error = await runJob(name as 'settlement', { env: env(), ...options }).then(() => null, (e: unknown) => e);
      expect(error, `${name} ${JSON.stringify(options)}`).to.be.instanceOf(DomainError);
      expect((error as DomainError).code).to.equal(code);
    }
  });
});
