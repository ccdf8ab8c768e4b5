import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { eventually, useAllowanceWorlds, type AllowanceWorld } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const run = promisify(execFile);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SCHEDULES = 300;

/** The broker's id of the connection whose client-provided name is `name`. */
async function brokerConnectionPid(name: string, except?: string): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['-q', '-t', '20', 'list_connections', 'pid', 'client_properties'], { timeout: 30_000 });
  const pid = stdout
    .split('\n')
    .filter((line) => line.includes(`"${name}"`))
    .map((line) => line.split('\t')[0])
    .find((found) => found !== except);
  if (!pid) throw new Error(`no broker connection named ${name}`);
  return pid;
}

async function closeBrokerConnection(world: AllowanceWorld, pid: string): Promise<void> {
  const disconnects = world.logged('ALLOWANCE_CONSUMER_DISCONNECTED').length;
  await run('rabbitmqctl', ['-q', 'close_connection', pid, 'e2e: the broker closes the worker connection'], { timeout: 30_000 });
  await eventually(() => world.logged('ALLOWANCE_CONSUMER_DISCONNECTED').length > disconnects, 'the worker to notice');
}

function subscriptions(world: AllowanceWorld): number {
  return world.logged('ALLOWANCE_CONSUMER_STARTED').filter((entry) => entry.layer === 'worker.0').length;
}

describe('allowance e2e: the broker closes the worker connection', () => {
  const worlds = useAllowanceWorlds();

  it('the consumer reconnects by itself and keeps crediting, each run exactly once', async function () {
    try {
      await run('rabbitmqctl', ['-q', 'status'], { timeout: 30_000 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.skip();
      throw error;
    }
    const world = await worlds.create({ label: 'reconnect' });
    const worker = world.workers[0]!;
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    await world.givenManySchedules({ guardians: 3, juniors: SCHEDULES, guardianBalance: '5000.00', amount: '7.77', frequency: 'DAILY', anchorAt });

    // The connection goes while the worker is busy with the first batch.
    const firstPid = await brokerConnectionPid(worker.connectionName);
    const first = await world.runProducer();
    expect(first.status === 'SUCCESS' && first.summary).to.include({ publishedCount: SCHEDULES });
    await closeBrokerConnection(world, firstPid);
    expect(world.logged('AMQP_CONNECTION_LOST').some((entry) => entry.layer === 'worker.0')).to.equal(true);
    await eventually(() => subscriptions(world) === 2, 'the consumer to subscribe again');
    await eventually(async () => (await world.creditCount()) === SCHEDULES, 'the first batch to be credited');

    // Runs published while it is away are credited once it is back; so are runs published afterwards.
    // The producer's connection is closed too: its next run connects again.
    const secondPid = await brokerConnectionPid(worker.connectionName, firstPid);
    const producerPid = await brokerConnectionPid(`${world.broker.prefix}.producer`);
    await closeBrokerConnection(world, secondPid);
    await run('rabbitmqctl', ['-q', 'close_connection', producerPid, 'e2e: the broker closes the producer connection'], { timeout: 30_000 });
    await eventually(() => world.logged('AMQP_CONNECTION_LOST').some((entry) => entry.layer === 'amqp'), 'the producer to notice');
    world.clock.advance(DAY);
    const second = await world.runProducer();
    expect(second.status === 'SUCCESS' && second.summary).to.include({ publishedCount: SCHEDULES });
    await eventually(async () => (await world.creditCount()) === 2 * SCHEDULES, 'the runs published during the outage to be credited');
    expect(subscriptions(world)).to.equal(3);
    world.clock.advance(DAY);
    const third = await world.runProducer();
    expect(third.status === 'SUCCESS' && third.summary).to.include({ publishedCount: SCHEDULES });
    await eventually(async () => (await world.creditCount()) === 3 * SCHEDULES, 'the runs published after the outage to be credited');

    expect(world.logged('ALLOWANCE_CREDITED')).to.have.length(3 * SCHEDULES);
    await eventually(async () => {
      const depths = await world.depths();
      return depths.ready === 0 && depths.retrying === 0 && depths;
    }, 'the queues to drain');
    expect((await world.depths()).deadLettered).to.equal(0);
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 3 * SCHEDULES, creditsTotal: '6993.00' });
  });
});
