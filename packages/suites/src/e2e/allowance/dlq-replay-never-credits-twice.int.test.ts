import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { BANCA_BIN } from '../process/banca-process.test-helpers';
import { allowanceMessageId } from '@banca/domain';
import { serviceUrl } from '@banca/test-support';
import { eventually, useAllowanceWorlds, type AllowanceWorld } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const execFileAsync = promisify(execFile);
const HOUR = 3_600_000;


/** `banca <args>` as an operator runs it, configured for this world's schema and queues. */
async function bancaCli(world: AllowanceWorld, args: string[]): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'banca-e2e-'));
  try {
    const databaseUrl = new URL(await serviceUrl('postgres'));
    databaseUrl.searchParams.set('options', world.searchPathOption);
    const { stdout } = await execFileAsync(process.execPath, [BANCA_BIN, ...args], {
      timeout: 60_000,
      env: {
        PATH: process.env['PATH'] ?? '',
        BANCA_FROM_SOURCE: '1',
        BANCA_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl.toString(),
        RABBITMQ_URL: world.broker.url,
        ALLOWANCE_QUEUE_NAME: world.names.queue,
        ALLOWANCE_RETRY_DELAY_MS: String(world.options.retryDelayMs),
        LOG_LEVEL: 'warn',
      },
    });
    return stdout;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('allowance e2e: DLQ replay (admin endpoint and CLI)', () => {
  const worlds = useAllowanceWorlds();

  it('credits a replayed run that was never paid, and never a run already credited', async () => {
    const world = await worlds.create({ label: 'replay', maxRetries: 1, retryDelayMs: 100 });
    const admin = world.adminToken();
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const shortGuardian = await world.givenGuardian('0.00');
    const unpaidJunior = await world.givenJunior(shortGuardian);
    const unpaid = await world.givenSchedule({ guardianId: shortGuardian, juniorId: unpaidJunior, amount: '45.00', frequency: 'DAILY', anchorAt });
    const richGuardian = await world.givenGuardian('100.00');
    const paidJunior = await world.givenJunior(richGuardian);
    const paid = await world.givenSchedule({ guardianId: richGuardian, juniorId: paidJunior, amount: '20.00', frequency: 'DAILY', anchorAt });
    const unpaidRun = JSON.stringify({ scheduleId: unpaid, runAt: anchorAt.toISOString() });
    const paidRun = JSON.stringify({ scheduleId: paid, runAt: anchorAt.toISOString() });

    const produced = await world.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: 2 });
    await eventually(async () => (await world.depths()).deadLettered === 1, 'the unpaid run to be given up');
    await eventually(async () => (await world.balanceOf(paidJunior)) === '20.00', 'the paid run');
    expect((await world.schedule(unpaid)).last_failed_run_at).to.deep.equal(anchorAt);
    // A copy of a run already credited ends up in the DLQ too (its first delivery's ack was lost, say).
    await world.publishRaw(paidRun, { messageId: allowanceMessageId(paid, anchorAt), to: 'dlq' });

    const depth = await world.http('GET', '/admin/allowance/dlq', { token: admin });
    expect(depth).to.deep.equal({ status: 200, body: { ready: 0, retrying: 0, deadLettered: 2 } });

    await world.deposit(shortGuardian, '45.00');
    const settledBefore = world.settled.length;
    const replay = await world.http('POST', '/admin/allowance/dlq/replay', { token: admin, body: { limit: 10 } });
    expect(replay).to.deep.equal({ status: 200, body: { replayed: 2 } });
    await eventually(() => world.settled.length === settledBefore + 2, 'the two replayed runs to be settled');
    expect(await world.balanceOf(unpaidJunior), 'the run never paid is credited').to.equal('45.00');
    expect(await world.balanceOf(paidJunior), 'the run already paid is not paid again').to.equal('20.00');
    const replayed = world.settled.slice(settledBefore);
    expect(replayed.map((delivery) => [delivery.rawBody, delivery.previousAttempts, delivery.disposition.action])).to.have.deep.members([
      [unpaidRun, 0, 'ack'],
      [paidRun, 0, 'ack'],
    ]);
    expect(world.logged('ALLOWANCE_DUPLICATE_RUN').map((entry) => entry.payload?.['scheduleId'])).to.deep.equal([paid]);
    expect(await world.schedule(unpaid)).to.deep.include({ last_run_at: anchorAt });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 2, creditsTotal: '65.00' });

    // Both runs dead-lettered again and replayed from the command line: nothing more is paid.
    await world.publishRaw(unpaidRun, { messageId: allowanceMessageId(unpaid, anchorAt), to: 'dlq' });
    await world.publishRaw(paidRun, { messageId: allowanceMessageId(paid, anchorAt), to: 'dlq' });
    await world.deposit(shortGuardian, '45.00');
    const settledBeforeCli = world.settled.length;
    const stdout = await bancaCli(world, ['dlq', 'replay', '--limit', '10']);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).to.deep.equal({ replayed: 2 });
    await eventually(() => world.settled.length === settledBeforeCli + 2, 'the two runs replayed by the CLI to be settled');
    expect(world.settled.slice(settledBeforeCli).every((delivery) => delivery.disposition.action === 'ack')).to.equal(true);
    expect(world.logged('ALLOWANCE_DUPLICATE_RUN')).to.have.length(3);
    expect(await world.balanceOf(unpaidJunior)).to.equal('45.00');
    expect(await world.balanceOf(paidJunior)).to.equal('20.00');
    expect(await world.balanceOf(shortGuardian)).to.equal('45.00');
    expect(await world.balanceOf(richGuardian)).to.equal('80.00');

    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 2, creditsTotal: '65.00' });
  });
});
