import { expect } from 'chai';
import { nextCronRuns } from './cron-preview';

describe('nextCronRuns', () => {
  it('reads the rule in UTC, whatever the machine zone', () => {
    const runs = nextCronRuns('0 3 * * *', new Date('2026-11-27T12:00:00Z'), 3);
    expect(runs?.map((run) => run.toISOString())).to.deep.equal(['2026-11-28T03:00:00.000Z', '2026-11-29T03:00:00.000Z', '2026-11-30T03:00:00.000Z']);
  });

  it('is null for a rule it cannot read', () => {
    expect(nextCronRuns('61 3 * * *', new Date(), 5)).to.equal(null);
    expect(nextCronRuns('every night', new Date(), 5)).to.equal(null);
  });
});
