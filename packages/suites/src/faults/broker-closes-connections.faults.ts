/// <reference types="mocha" />
import { expect } from 'chai';
import type { AllowanceQueue } from '@banca/domain/ports';
import { createAllowanceWorld, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { assertMoneyConserved } from '../e2e/allowance/money-invariants.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { closeBrokerConnections, creditCount, creditsWaitingOnLocks, deadLetterKeys, openDeadLetterCount, producerProcess, rabbitmqctlAvailable, sleep, waitFor } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const RUNS = Number(process.env['FAULTS_BROKER_RUNS'] ?? 3_000);
const WORKERS = 2;
const LEASE_MS = 1_000;
const HOUR = 3_600_000;

describe('faults: the broker closes every connection in the middle of publishing and of consuming', function () {
  this.timeout(600_000);
  let world: AllowanceWorld | null = null;

  after(async () => {
    await world?.close();
  });

  it('the producer and the workers reconnect by themselves; every run ends credited once or in the DLQ', async function () {
    if (!(await rabbitmqctlAvailable())) this.skip();
    const report = startScenario('broker closes all connections (publishing, consuming)');
    world = await createAllowanceWorld({ label: 'f_broker', workers: WORKERS, leaseMs: LEASE_MS, retryDelayMs: 150, maxRetries: 5 });
    const w = world;
    const anchorAt = new Date(w.clock.now().getTime() - HOUR);
    const ids = await w.givenManySchedules({ guardians: 30, juniors: RUNS, guardianBalance: '100000.00', amount: '4.44', frequency: 'DAILY', anchorAt });

    // The producer publishes page after page; at its third page the broker closes every connection of the test.
    let pages = 0;
    let pagesAtClose = -1;
    let closing: Promise<number> | null = null;
    const paced = (publisher: AllowanceQueue): AllowanceQueue => ({
      async publish(messages) {
        pages += 1;
        if (pages === 3) {
          closing = closeBrokerConnections(w.broker.prefix, 'faults: the broker closes connections while publishing').then((n) => {
            pagesAtClose = pages;
            return n;
          });
        }
        // The run is held at this page until the broker has closed the connections: the rest of its pages follow on new ones.
        if (closing) await closing;
        await publisher.publish(messages);
      },
    });
    const producer = producerProcess(w, { connectionName: `${w.broker.prefix}.paced-producer`, queue: paced });
    const duringPublish = await producer.runJob('allowance.enqueue', { trigger: 'schedule' });
    await producer.close();
    const closedWhilePublishing = await (closing ?? Promise.resolve(0));
    const totalPages = pages;

    // While the workers are busy with the runs, the broker closes every connection again. Listing and closing take
    // rabbitmqctl seconds, in which the workers would credit every run; so the credits are held inside PostgreSQL
    // (the credits table locked against writes) and the connections close while the workers wait on deliveries they
    // have not acknowledged. The lock then goes and those credits commit with nowhere to send their acks.
    const creditsBeforeSecond = await waitFor(async () => {
      const credits = await creditCount(w.knex);
      return credits >= Math.floor(RUNS * 0.1) ? credits : undefined;
    }, 'a tenth of the runs to be credited');
    const held = await w.knex.transaction();
    let closedWhileConsuming: number;
    let creditsHeld: number;
    try {
      await held.raw('LOCK TABLE allowance_credits IN SHARE MODE');
      creditsHeld = await waitFor(async () => {
        const waiting = await creditsWaitingOnLocks(w.knex);
        return waiting >= WORKERS ? waiting : undefined;
      }, 'both workers to wait inside a credit', 60_000);
      closedWhileConsuming = await closeBrokerConnections(w.broker.prefix, 'faults: the broker closes connections while consuming');
    } finally {
      await held.rollback();
    }
    const creditsAfterSecond = await creditCount(w.knex);

    // Runs whose publish was lost are published again once their lease has expired.
    let producerRuns = 1;
    const settled = await waitFor(
      async () => {
        const depths = await w.depths();
        const credits = await creditCount(w.knex);
        const deadLettered = await openDeadLetterCount(w.knex);
        if (depths.ready === 0 && depths.retrying === 0 && depths.deadLettered === 0 && credits + deadLettered >= RUNS) return { credits, deadLettered };
        if (depths.ready === 0 && depths.retrying === 0) {
          w.clock.advance(LEASE_MS + 1);
          await w.runProducer();
          producerRuns += 1;
        }
        await sleep(250);
        return undefined;
      },
      'every run credited or dead-lettered',
      300_000,
    );
    // A worker subscribes again after its reconnect delay, which may come after the last run was credited.
    await waitFor(
      () => w.logged('ALLOWANCE_CONSUMER_STARTED').length >= 3 * WORKERS || undefined,
      'both workers to subscribe again after the second close',
      60_000,
    ).catch(() => undefined);
    const dead = await deadLetterKeys(w.knex);
    const invariants = await checkInvariants(w.knex, { runs: ids.map((scheduleId) => ({ scheduleId, runAt: anchorAt })), deadLettered: dead });
    const reconnects = w.logged('ALLOWANCE_CONSUMER_STARTED').length - WORKERS;
    report.finish({
      load: `${RUNS} due runs, ${WORKERS} workers, ${producerRuns} producer runs (${totalPages} pages in the first), ${settled.credits} credited, ${dead.size} dead letters`,
      faults: `${closedWhilePublishing} connections closed at page ${pagesAtClose}/${totalPages}, ${closedWhileConsuming} with ${creditsHeld} credits held at ${creditsBeforeSecond}-${creditsAfterSecond} credits; ${reconnects} consumer reconnects`,
      violations: invariants.total,
    });

    expect(['SUCCESS', 'FAILED']).to.include(duringPublish.status);
    expect(closedWhilePublishing, 'the producer and both workers were connected').to.be.at.least(WORKERS + 1);
    expect(pagesAtClose, 'the connections went while pages were still being published').to.be.lessThan(totalPages);
    expect(closedWhileConsuming).to.be.at.least(WORKERS);
    expect(creditsAfterSecond, 'the second close came before the runs were all credited').to.be.lessThan(RUNS);
    expect(reconnects, 'every worker subscribed again after each close').to.be.at.least(2 * WORKERS);
    expect(invariants.total, invariants.describe()).to.equal(0);
    await assertMoneyConserved(w.knex);
  });
});
