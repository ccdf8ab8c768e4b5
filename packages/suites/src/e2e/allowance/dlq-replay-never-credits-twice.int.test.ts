import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { BANCA_BIN } from '../process/banca-process.test-helpers';
import { allowanceMessageId } from '@banca/domain';
import { serviceUrl } from '@banca/test-support';
import { eventually, useAllowanceWorlds, type AllowanceWorld } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const HOUR = 3_600_000;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `banca <args>` as an operator runs it, configured for this world's schema and queues. */
async function bancaCli(world: AllowanceWorld, args: string[]): Promise<CliRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'banca-e2e-'));
  try {
    const databaseUrl = new URL(await serviceUrl('postgres'));
    databaseUrl.searchParams.set('options', world.searchPathOption);
    return await new Promise<CliRun>((resolve, reject) => {
      execFile(
        process.execPath,
        [BANCA_BIN, ...args],
        {
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
        },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') reject(error);
          else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
        },
      );
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const json = <T>(run: CliRun): T => {
  expect(run.code, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as T;
};

interface DeadLetterView {
  id: string;
  scheduleId: string | null;
  runAt: string | null;
  reasonCode: string;
  attempts: number;
  status: string;
  replayedBy: string | null;
  purgedBy: string | null;
  purgeReason: string | null;
}

describe('allowance e2e: dead letters inspected, replayed and purged (admin API and CLI)', () => {
  const worlds = useAllowanceWorlds();

  it('records every dead letter, credits a replayed run that was never paid, and never a run already credited', async () => {
    const world = await worlds.create({ label: 'replay', maxRetries: 1, retryDelayMs: 100 });
    const admin = world.adminToken();
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const shortGuardian = await world.givenGuardian('0.00');
    const unpaidJunior = await world.givenJunior(shortGuardian);
    const unpaid = await world.givenSchedule({ guardianId: shortGuardian, juniorId: unpaidJunior, amount: '45.00', frequency: 'DAILY', anchorAt });
    const richGuardian = await world.givenGuardian('100.00');
    const paidJunior = await world.givenJunior(richGuardian);
    const paid = await world.givenSchedule({ guardianId: richGuardian, juniorId: paidJunior, amount: '20.00', frequency: 'DAILY', anchorAt });
    const paidRun = JSON.stringify({ scheduleId: paid, runAt: anchorAt.toISOString() });
    const unpaidRun = JSON.stringify({ scheduleId: unpaid, runAt: anchorAt.toISOString() });
    const list = async (query = '') => (await world.http('GET', `/admin/dead-letters${query}`, { token: admin })).body as { items: DeadLetterView[]; nextCursor: string | null };

    const produced = await world.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: 2 });
    await eventually(async () => (await world.balanceOf(paidJunior)) === '20.00', 'the paid run');
    // A copy of a run already credited ends up in the DLQ too (its first delivery's ack was lost, say).
    await world.publishRaw(paidRun, { messageId: allowanceMessageId(paid, anchorAt), to: 'dlq' });
    await eventually(async () => (await list()).items.length === 2, 'both dead letters recorded');
    expect(await world.http('GET', '/admin/allowance/dlq', { token: admin })).to.deep.equal({ status: 200, body: { ready: 0, retrying: 0, deadLettered: 0 } });

    // The operator finds the unpaid run by its reason code, and looks at it.
    const short = await list('?reasonCode=ALLOWANCE.INSUFFICIENT_FUNDS');
    expect(short.items).to.have.length(1);
    const unpaidLetter = short.items[0]!;
    expect(unpaidLetter).to.deep.include({ scheduleId: unpaid, runAt: anchorAt.toISOString(), reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS', attempts: 1, status: 'open' });
    expect((await world.http('GET', `/admin/dead-letters/${unpaidLetter.id}`, { token: admin })).body).to.deep.include({ id: unpaidLetter.id, status: 'open' });
    const copy = (await list(`?scheduleId=${paid}`)).items[0]!;
    expect(copy).to.deep.include({ reasonCode: 'UNKNOWN', status: 'open' });
    expect(await metric(world)).to.equal(2);

    // Topped up, the unpaid run is replayed by id: credited once; replaying it again does nothing.
    await world.deposit(shortGuardian, '45.00');
    const replay = await world.http('POST', '/admin/dead-letters/replay', { token: admin, body: { ids: [unpaidLetter.id] } });
    expect(replay.status).to.equal(200);
    expect((replay.body as { replayed: unknown[] }).replayed).to.deep.equal([{ id: unpaidLetter.id, scheduleId: unpaid, runAt: anchorAt.toISOString() }]);
    await eventually(async () => (await world.balanceOf(unpaidJunior)) === '45.00', 'the replayed run credited');
    expect((await world.http('GET', `/admin/dead-letters/${unpaidLetter.id}`, { token: admin })).body).to.deep.include({ status: 'replayed', replayedBy: 'e2e-admin' });
    const again = await world.http('POST', '/admin/dead-letters/replay', { token: admin, body: { ids: [unpaidLetter.id] } });
    expect((again.body as { notReplayed: unknown[] }).notReplayed).to.deep.equal([{ id: unpaidLetter.id, reason: 'already-replayed' }]);

    // The old endpoint replays the oldest open ones through the table: the copy of the paid run is a duplicate.
    const settledBefore = world.settled.length;
    expect(await world.http('POST', '/admin/allowance/dlq/replay', { token: admin, body: { limit: 10 } })).to.deep.equal({ status: 200, body: { replayed: 1 } });
    await eventually(() => world.settled.length === settledBefore + 1, 'the replayed copy settled');
    expect(world.logged('ALLOWANCE_DUPLICATE_RUN').map((entry) => entry.payload?.['scheduleId'])).to.deep.equal([paid]);
    expect(await world.balanceOf(paidJunior), 'the run already paid is not paid again').to.equal('20.00');
    expect((await list()).items).to.deep.equal([]);
    expect(await metric(world)).to.equal(0);
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 2, creditsTotal: '65.00' });

    // Both runs dead-lettered again, and a poison message: listed, replayed and purged from the command line.
    await world.publishRaw(unpaidRun, { messageId: allowanceMessageId(unpaid, anchorAt), to: 'dlq' });
    await world.publishRaw(paidRun, { messageId: allowanceMessageId(paid, anchorAt), to: 'dlq' });
    await world.publishRaw('not json', { messageId: 'poison', to: 'dlq' });
    await eventually(async () => (await list()).items.length === 3, 'three new dead letters recorded');
    const table = await bancaCli(world, ['dlq', 'list']);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout.split('\n')[0]).to.match(/^ID\s+DEAD-LETTERED\s+STATUS\s+ATTEMPTS\s+REASON\s+RUN$/);
    expect(table.stdout).to.contain('malformed: "not json"');
    const listed = json<{ items: DeadLetterView[] }>(await bancaCli(world, ['dlq', 'list', '--json', '--limit', '5']));
    expect(listed.items).to.have.length(3);
    const poison = listed.items.find((item) => item.scheduleId === null)!;

    await world.deposit(shortGuardian, '45.00');
    const settledBeforeCli = world.settled.length;
    const replayed = json<{ replayed: unknown[]; notReplayed: unknown[] }>(await bancaCli(world, ['dlq', 'replay', '--all', '--json', '--user', 'ana']));
    expect(replayed.replayed).to.have.length(2);
    await eventually(() => world.settled.length === settledBeforeCli + 2, 'the two runs replayed by the CLI to be settled');
    expect(world.logged('ALLOWANCE_DUPLICATE_RUN')).to.have.length(3);
    const byId = json<{ notReplayed: unknown[] }>(await bancaCli(world, ['dlq', 'replay', '--id', poison.id, '--json']));
    expect(byId.notReplayed).to.deep.equal([{ id: poison.id, reason: 'malformed' }]);
    const purged = await bancaCli(world, ['dlq', 'purge', '--id', poison.id, '--reason', 'a foreign producer wrote it']);
    expect(purged.code, purged.stderr).to.equal(0);
    expect(purged.stdout).to.match(/^Purged 1 dead letter\n/);
    const purgedRow = json<DeadLetterView>(await bancaCli(world, ['dlq', 'show', '--id', poison.id]));
    expect(purgedRow).to.deep.include({ status: 'purged', purgeReason: 'a foreign producer wrote it' });
    expect(purgedRow.purgedBy).to.match(/^cli:/);
    expect((await world.deadLetters()).filter((row) => row.replayed_by === 'ana')).to.have.length(2);

    expect(await world.balanceOf(unpaidJunior)).to.equal('45.00');
    expect(await world.balanceOf(paidJunior)).to.equal('20.00');
    expect(await world.balanceOf(shortGuardian)).to.equal('45.00');
    expect(await world.balanceOf(richGuardian)).to.equal('80.00');
    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 2, creditsTotal: '65.00' });
  });

  it('refuses a bad command line with exit 2 and a precise message, changing nothing', async () => {
    const world = await worlds.create({ label: 'dlq_cli', startWorkers: false });
    const cases: Array<[string[], RegExp]> = [
      [['dlq', 'replay'], /dlq replay needs --id ID \(repeatable\) or --all/],
      [['dlq', 'replay', '--id', '00000000-0000-4000-8000-000000000001', '--all'], /not both/],
      [['dlq', 'replay', '--id', '42'], /VALIDATION\.INVALID_INPUT: a dead-letter id is a UUID/],
      [['dlq', 'replay', '--all', '--limit', '0'], /VALIDATION\.INVALID_INPUT: limit must be a positive integer/],
      [['dlq', 'purge', '--id', '00000000-0000-4000-8000-000000000001'], /dlq purge needs --reason/],
      [['dlq', 'purge', '--id', '00000000-0000-4000-8000-000000000001', '--reason', '  '], /VALIDATION\.INVALID_INPUT: reason is required/],
      [['dlq', 'list', '--limit', '0'], /VALIDATION\.INVALID_INPUT: limit must be an integer from 1 to 500/],
      [['dlq', 'list', '--status', 'closed'], /VALIDATION\.INVALID_INPUT: status must be one of/],
      [['dlq', 'list', '--from', '2025-02-30T00:00:00Z'], /TIME\.INVALID_INSTANT/],
      [['dlq', 'list', '--cursor', 'nope'], /VALIDATION\.INVALID_INPUT: cursor is not a cursor this list gave out/],
      [['dlq', 'list', '--month', '2025-13'], /dlq list: Unknown option '--month'/],
      [['dlq', 'list', 'extra'], /dlq list takes no positional arguments/],
      [['dlq', 'drain'], /unknown dlq command "drain"/],
    ];
    for (const [args, message] of cases) {
      const run = await bancaCli(world, args);
      expect(run.code, args.join(' ')).to.equal(2);
      expect(run.stderr, args.join(' ')).to.match(message);
    }
    expect(await world.deadLetters()).to.deep.equal([]);
  });
});

/** banca_allowance_dead_letters_open as the world's API process exposes it. */
async function metric(world: AllowanceWorld): Promise<number> {
  const text = await (await fetch(`${world.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('banca_allowance_dead_letters_open '));
  if (!line) throw new Error('no banca_allowance_dead_letters_open in /metrics');
  return Number(line.split(' ')[1]);
}
