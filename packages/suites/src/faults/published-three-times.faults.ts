/// <reference types="mocha" />
import { expect } from 'chai';
import { allowanceRunMessage } from '@banca/domain';
import { createAllowanceWorld, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { assertMoneyConserved } from '../e2e/allowance/money-invariants.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { waitFor } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const RUNS = Number(process.env['FAULTS_THRICE_RUNS'] ?? 1_000);
const WORKERS = 4;
const HOUR = 3_600_000;

describe('faults: every run published three times to four workers', function () {
  this.timeout(600_000);
  let world: AllowanceWorld | null = null;

  after(async () => {
    await world?.close();
  });

  it('credits each run exactly once; the two other copies are acknowledged as duplicates', async () => {
    const report = startScenario('every run published three times, 4 workers');
    world = await createAllowanceWorld({ label: 'f_thrice', workers: WORKERS, startWorkers: false });
    const w = world;
    const anchorAt = new Date(w.clock.now().getTime() - HOUR);
    const ids = await w.givenManySchedules({ guardians: 8, juniors: RUNS, guardianBalance: '100000.00', amount: '6.66', frequency: 'WEEKLY', anchorAt });
    const produced = await w.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: RUNS });
    // Copies interleaved, so that copies of one run reach different workers at once.
    await w.transport.publisher.publish(ids.flatMap((id) => [allowanceRunMessage(id, anchorAt), allowanceRunMessage(id, anchorAt)]));
    const published = (await w.depths()).ready;
    await w.startWorkers();
    await waitFor(() => w.settled.length >= 3 * RUNS, `${3 * RUNS} deliveries to be settled`, 300_000);
    await w.stopWorkers();

    const credited = w.logged('ALLOWANCE_CREDITED').length;
    const duplicates = w.logged('ALLOWANCE_DUPLICATE_RUN').length;
    const perWorker = w.workers.map(({ index }) => w.settled.filter((delivery) => delivery.worker === index).length);
    const invariants = await checkInvariants(w.knex, { runs: ids.map((scheduleId) => ({ scheduleId, runAt: anchorAt })), deadLettered: new Set() });
    report.finish({
      load: `${RUNS} runs × 3 = ${published} messages, ${WORKERS} workers (${perWorker.join('/')} deliveries)`,
      faults: `${published - RUNS} duplicate messages (${duplicates} acked as duplicates, ${credited} credited)`,
      violations: invariants.total + Math.abs(credited - RUNS),
    });
    expect(published).to.equal(3 * RUNS);
    expect(credited).to.equal(RUNS);
    expect(duplicates).to.equal(2 * RUNS);
    expect(w.settled.every((delivery) => delivery.disposition.action === 'ack')).to.equal(true);
    expect(await w.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(invariants.total, invariants.describe()).to.equal(0);
    await assertMoneyConserved(w.knex);
  });
});
