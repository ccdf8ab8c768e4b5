/// <reference types="mocha" />
import { expect } from 'chai';
import { createAllowanceWorld, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { assertMoneyConserved } from '../e2e/allowance/money-invariants.test-helpers';
import { spawnBanca, useBancaCleanup, type BancaChild, type BancaEnv } from '../e2e/process/banca-process.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { creditCount, deadLetterKeys, faultSeed, openDeadLetterCount, seededRandom, serverUrlOf, sleep, waitFor } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const RUNS = Number(process.env['FAULTS_SIGKILL_RUNS'] ?? 5_000);
const KILLS = 10;
const HOUR = 3_600_000;

describe('faults: a worker process killed with SIGKILL while due runs are credited', function () {
  this.timeout(600_000);
  useBancaCleanup();
  let world: AllowanceWorld | null = null;

  after(async () => {
    await world?.close();
  });

  it(`is killed ${KILLS} times at random moments and restarted each time; every run ends credited once or in the DLQ`, async () => {
    const report = startScenario('worker SIGKILL ×10 while crediting');
    const seed = faultSeed();
    const random = seededRandom(seed);
    world = await createAllowanceWorld({ label: 'f_sigkill', workers: 0, startWorkers: false, retryDelayMs: 150, maxRetries: 5 });
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const ids = await world.givenManySchedules({ guardians: 50, juniors: RUNS, guardianBalance: '100000.00', amount: '3.33', frequency: 'DAILY', anchorAt });
    const produced = await world.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: RUNS });

    const databaseUrl = new URL(serverUrlOf(world.knex));
    databaseUrl.searchParams.set('options', world.searchPathOption);
    const env: BancaEnv = {
      DATABASE_URL: databaseUrl.toString(),
      RABBITMQ_URL: world.broker.url,
      ALLOWANCE_QUEUE_NAME: world.names.queue,
      ALLOWANCE_RETRY_DELAY_MS: String(world.options.retryDelayMs),
      ALLOWANCE_MAX_RETRIES: String(world.options.maxRetries),
      ALLOWANCE_PREFETCH: '20',
      AUTH_JWT_SECRET: 'faults-sigkill-secret-of-at-least-32-characters',
      SHUTDOWN_TIMEOUT_MS: '10000',
    };
    // Each kill lands once the credits have passed a random point of the load, so always mid-stream.
    const killPoints = Array.from({ length: KILLS }, () => Math.floor(RUNS * (0.02 + 0.88 * random()))).sort((a, b) => a - b);
    let kills = 0;
    let starts = 0;
    const creditedAtKill: number[] = [];
    const startWorker = async (): Promise<BancaChild> => {
      const banca = spawnBanca(['start', 'worker'], env);
      starts += 1;
      await banca.waitForLog('ALLOWANCE_WORKER_STARTED');
      return banca;
    };

    for (const point of killPoints) {
      const banca = await startWorker();
      await waitFor(async () => (await creditCount(world!.knex)) >= point, `${point} credits`, 180_000, 20);
      await sleep(Math.floor(random() * 50));
      if (banca.exit === null) {
        await banca.kill();
        kills += 1;
        creditedAtKill.push(await creditCount(world.knex));
      }
    }
    const last = await startWorker();
    const settled = await waitFor(
      async () => {
        const depths = await world!.depths();
        const credits = await creditCount(world!.knex);
        const deadLettered = await openDeadLetterCount(world!.knex);
        // Dead letters leave the DLQ only once recorded: an empty DLQ with every run accounted for means none was lost.
        return depths.ready === 0 && depths.retrying === 0 && depths.deadLettered === 0 && credits + deadLettered >= RUNS ? { credits, deadLettered } : undefined;
      },
      'every run credited or dead-lettered',
      300_000,
      200,
    );
    last.signal('SIGTERM');
    const exit = await last.exited;
    const dead = await deadLetterKeys(world.knex);
    const invariants = await checkInvariants(world.knex, { runs: ids.map((scheduleId) => ({ scheduleId, runAt: anchorAt })), deadLettered: dead });
    report.finish({
      load: `${RUNS} due runs, 1 worker process (prefetch 20), ${settled.credits} credited, ${dead.size} dead letters`,
      faults: `${kills} SIGKILL, ${starts - 1} restarts (seed ${seed})`,
      violations: invariants.total,
    });

    expect(kills, `the worker was alive at each kill point (credits at each kill: ${creditedAtKill.join(', ')})`).to.equal(KILLS);
    expect(invariants.total, invariants.describe()).to.equal(0);
    expect(exit.code, last.describe()).to.equal(0);
    await assertMoneyConserved(world.knex);
  });
});
