import { expect } from 'chai';
import { nextCronRun } from './cron';
import { assertJobName, assertUserId, isJobName, JOB_NAMES, jobActionPrefix, JOBS, MAX_USER_ID_LENGTH } from './jobs';
import { toCRZoned } from '../time/cr-time';
import { expectDomainError } from '../kernel/domain-error.test-helpers';

describe('JOBS (docs/architecture.md, Time)', () => {
  it('lists the seven jobs', () => {
    expect(JOB_NAMES).to.deep.equal([
      'sorteos.auto-open',
      'sorteos.auto-create',
      'sorteos.auto-close',
      'settlement',
      'monthly-closing',
      'activity-log.cleanup',
      'allowance.enqueue',
    ]);
  });

  it('fires each daily UTC rule at its stated Costa Rica time', () => {
    const after = new Date('2025-06-10T12:00:00Z');
    for (const name of JOB_NAMES) {
      const { cron, crTime } = JOBS[name];
      if (!/^\d{2}:\d{2}/.test(crTime)) continue;
      const local = toCRZoned(nextCronRun(cron, after));
      const hhmm = `${String(local.hour()).padStart(2, '0')}:${String(local.minute()).padStart(2, '0')}`;
      expect(hhmm, name).to.equal(crTime.slice(0, 5));
    }
  });

  it('closes the month at 02:00 CR on the 1st', () => {
    const run = toCRZoned(nextCronRun(JOBS['monthly-closing'].cron, new Date('2025-06-10T00:00:00Z')));
    expect(run.toLocalDate().toString()).to.equal('2025-07-01');
    expect(run.hour()).to.equal(2);
  });

  it('auto-closes at 22:00 of the previous CR day', () => {
    const run = nextCronRun(JOBS['sorteos.auto-close'].cron, new Date('2025-06-10T00:00:00Z'));
    expect(run.toISOString()).to.equal('2025-06-10T04:00:00.000Z');
    expect(toCRZoned(run).toLocalDate().toString()).to.equal('2025-06-09');
  });

  it('validates job names', () => {
    expect(isJobName('settlement')).to.equal(true);
    expect(isJobName('toString')).to.equal(false);
    expect(assertJobName('monthly-closing')).to.equal('monthly-closing');
    const error = expectDomainError(() => assertJobName('settle'), 'JOB.UNKNOWN');
    expect(error.message).to.contain('activity-log.cleanup');
  });

  it('derives action prefixes', () => {
    expect(jobActionPrefix('sorteos.auto-open')).to.equal('SORTEOS_AUTO_OPEN');
    expect(jobActionPrefix('activity-log.cleanup')).to.equal('ACTIVITY_LOG_CLEANUP');
  });
});

describe('assertUserId', () => {
  it(`accepts 1 to ${MAX_USER_ID_LENGTH} characters and refuses an empty or longer id with JOB.INVALID_OPTIONS`, () => {
    expect(assertUserId('ops')).to.equal('ops');
    expect(assertUserId('o'.repeat(MAX_USER_ID_LENGTH))).to.have.length(MAX_USER_ID_LENGTH);
    for (const bad of ['', 'o'.repeat(MAX_USER_ID_LENGTH + 1)]) expectDomainError(() => assertUserId(bad), 'JOB.INVALID_OPTIONS');
  });
});
