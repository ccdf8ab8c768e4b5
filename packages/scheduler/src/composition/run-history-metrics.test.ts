import { expect } from 'chai';
import { Registry } from 'prom-client';
import { fixedClock, type CronRunOutcome, type CronRunStart } from '@banca/domain/ports';
import { InMemoryCronRunRepository, InMemorySettlementConfigRepository } from '@banca/domain/testing';
import { backlogGrowingRuns, overdueSeconds, readRunHistory, registerRunHistoryGauges } from './run-history-metrics';

const NOW = new Date('2025-03-10T12:00:00.000Z');

function history() {
  const cronRuns = new InMemoryCronRunRepository();
  const record = (jobName: string, startedAt: string, outcome: Partial<CronRunOutcome> = {}, start: Partial<CronRunStart> = {}) =>
    cronRuns.record({
      jobName,
      trigger: 'schedule',
      triggeredBy: 'SYSTEM',
      startedAt: new Date(startedAt),
      status: 'SUCCESS',
      processedCount: 0,
      errorMessage: null,
      summary: null,
      finishedAt: new Date(new Date(startedAt).getTime() + 2000),
      ...outcome,
      ...start,
    });
  return { cronRuns, record, source: { cronRuns, settlementConfig: new InMemorySettlementConfigRepository(), clock: fixedClock(NOW) } };
}

describe('run-history gauges', () => {
  it('count how long the first slot after the latest run has waited, and nothing for a job that never ran', () => {
    expect(overdueSeconds('*/5 * * * *', new Date('2025-03-10T11:55:02Z'), NOW)).to.equal(0);
    expect(overdueSeconds('*/5 * * * *', new Date('2025-03-10T11:50:02Z'), NOW)).to.equal(300);
    expect(overdueSeconds('0 8 1 * *', new Date('2025-03-01T08:00:03Z'), NOW)).to.equal(0);
    expect(overdueSeconds('0 3 * * *', new Date('2025-03-08T03:00:00Z'), NOW)).to.equal(33 * 3600);
    expect(overdueSeconds('0 3 * * *', undefined, NOW)).to.equal(0);
  });

  it('count the runs in a row that found a larger backlog than the run before', () => {
    expect(backlogGrowingRuns([])).to.equal(0);
    expect(backlogGrowingRuns([5])).to.equal(0);
    expect(backlogGrowingRuns([9, 7, 5, 6])).to.equal(2);
    expect(backlogGrowingRuns([9, 8, 7, 6, 1])).to.equal(4);
    expect(backlogGrowingRuns([9, 9, 7])).to.equal(0);
    expect(backlogGrowingRuns([3, 9, 7])).to.equal(0);
  });

  it('read the last start, last success, overdue slots and the settlement backlog from the history', async () => {
    const { record, source } = history();
    await record('settlement', '2025-03-06T03:00:00Z', { summary: { totalPending: 10 } });
    await record('settlement', '2025-03-07T03:00:00Z', { summary: { totalPending: 12 } });
    await record('settlement', '2025-03-08T03:00:00Z', { status: 'FAILED', errorMessage: 'x' });
    await record('settlement', '2025-03-09T03:00:00Z', { summary: { totalPending: 15 } });
    await record('settlement', '2025-03-10T03:00:00Z', { summary: { totalPending: 40 } });
    await record('allowance.enqueue', '2025-03-10T11:40:01Z');
    const snapshot = await readRunHistory(source);
    expect(snapshot.lastStart['settlement']).to.deep.equal(new Date('2025-03-10T03:00:00Z'));
    expect(snapshot.lastSuccess['allowance.enqueue']).to.deep.equal(new Date('2025-03-10T11:40:03Z'));
    expect(snapshot.overdueSeconds).to.include({ settlement: 0, 'allowance.enqueue': 900, 'monthly-closing': 0 });
    expect(snapshot).to.include({ settlementBacklog: 40, settlementBacklogGrowingRuns: 3 });
  });

  it('are exposed once per job in the Prometheus text, from one read of the history', async () => {
    const { record, source } = history();
    await record('allowance.enqueue', '2025-03-10T11:40:01Z');
    let reads = 0;
    const counted = { ...source, cronRuns: { ...source.cronRuns, latestByJob: () => (reads++, source.cronRuns.latestByJob()), lastSuccessByJob: () => source.cronRuns.lastSuccessByJob(), list: source.cronRuns.list.bind(source.cronRuns) } };
    const registry = new Registry();
    registerRunHistoryGauges(registry, counted);
    const text = await registry.metrics();
    expect(reads).to.equal(1);
    expect(text).to.include('banca_job_overdue_seconds{job="allowance.enqueue"} 900');
    expect(text).to.include('banca_job_overdue_seconds{job="settlement"} 0');
    expect(text).to.include(`banca_job_last_run_start_timestamp_seconds{job="allowance.enqueue"} ${Date.parse('2025-03-10T11:40:01Z') / 1000}`);
    expect(text).to.not.include('banca_job_last_success_timestamp_seconds{job="settlement"}');
    expect(text).to.include('banca_settlement_backlog_growing_runs 0');
  });
});
