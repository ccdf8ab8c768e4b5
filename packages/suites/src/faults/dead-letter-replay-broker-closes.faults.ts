/// <reference types="mocha" />
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { AmqpAllowanceTransport } from '@banca/adapters-amqp';
import { isDomainError } from '@banca/domain';
import { replayDeadLetters, type AllowanceQueue } from '@banca/domain/ports';
import { ServiceIds } from '@banca/scheduler';
import { createAllowanceWorld, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { openTestProcess, type TestProcess } from '../e2e/banca-container.test-helpers';
import { assertMoneyConserved } from '../e2e/allowance/money-invariants.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { closeBrokerConnections, deadLetterKeys, openDeadLetterCount, rabbitmqctlAvailable, waitFor } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const RUNS = Number(process.env['FAULTS_DLQ_REPLAY_RUNS'] ?? 400);
const GUARDIANS = 40;
/** Guardians never topped up: their runs fail again on every replay and come back as new dead letters. */
const UNFUNDED = 10;
/** Replay rounds with the broker closing every connection as two replays of all run at once. */
const FAULT_ROUNDS = 3;
const MAX_ROUNDS = 12;
/** Small pages, so the replays are still publishing when the connections go. */
const PAGE_SIZE = 2;
const HOUR = 3_600_000;

interface ReplayRequest {
  requestId: string;
  /** Message ids of every publish call, and of those the broker confirmed. */
  attempted: string[][];
  confirmed: string[][];
  outcome: 'done' | 'broker-failed';
  replayed: number;
}

describe('faults: dead letters replayed while the broker closes every connection', function () {
  this.timeout(600_000);
  let world: AllowanceWorld | null = null;
  let replayer: TestProcess | null = null;

  after(async () => {
    await replayer?.close();
    await world?.close();
  });

  it('none is lost between queue and table, a request publishes a run at most once, a row is replayed only once its run reached the queue, no run is credited twice', async function () {
    if (!(await rabbitmqctlAvailable())) this.skip();
    const report = startScenario('dead letters replayed while the broker closes connections');
    world = await createAllowanceWorld({ label: 'f_dlq_replay', workers: 2, maxRetries: 1, retryDelayMs: 150 });
    const w = world;
    const anchorAt = new Date(w.clock.now().getTime() - HOUR);
    const ids = await w.givenManySchedules({ guardians: GUARDIANS, juniors: RUNS, guardianBalance: '0.00', amount: '3.33', frequency: 'DAILY', anchorAt });
    const runKey = (scheduleId: string) => `${scheduleId}:${anchorAt.toISOString()}`;

    // Every run is dead-lettered (no guardian has money) and recorded from the DLQ.
    const produced = await w.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: RUNS });
    // Settled: the queues are empty and every run is credited or an open dead letter. The depths alone do not
    // say it: a message a worker or the recorder holds unacknowledged (a reconnect, a pause) is in none of them.
    // A run can be both: when the broker took a replayed message but its confirm was lost with the connection,
    // the replay put the row back to open and the worker still credited the run; the next replay publishes it
    // again and the worker acknowledges it as a duplicate.
    const creditCount = async () => (await w.knex.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM allowance_credits')).rows[0]!.n;
    const runsState = async () =>
      (
        await w.knex.raw<{ rows: Array<{ neither: number; creditedAndOpen: number; replaying: number }> }>(
          `SELECT count(*) FILTER (WHERE c.schedule_id IS NULL AND NOT coalesce(d.open, false))::int AS neither,
                  count(*) FILTER (WHERE c.schedule_id IS NOT NULL AND coalesce(d.open, false))::int AS "creditedAndOpen",
                  (SELECT count(*) FROM allowance_dead_letters WHERE status = 'replaying')::int AS replaying
           FROM allowance_schedules s
           LEFT JOIN allowance_credits c ON c.schedule_id = s.id
           LEFT JOIN (SELECT schedule_id, bool_or(status = 'open') AS open FROM allowance_dead_letters GROUP BY schedule_id) d ON d.schedule_id = s.id::text`,
        )
      ).rows[0]!;
    const settle = (what: string) =>
      waitFor(
        async () => {
          const depths = await w.depths();
          if (depths.ready !== 0 || depths.retrying !== 0 || depths.deadLettered !== 0) return false;
          const runs = await runsState();
          return runs.neither === 0 && runs;
        },
        what,
        300_000,
        100,
      ).catch(async (error: Error) => {
        // What a stalled run looks like: the queues, the runs in neither state, and the last warnings of every process.
        const warnings = w.logger.entries.filter((entry) => entry.level === 'warn' || entry.level === 'error').slice(-30);
        throw new Error(`${error.message}: ${JSON.stringify({ depths: await w.depths(), ...(await runsState()), warnings })}`);
      });
    await settle('every run dead-lettered and recorded');
    expect(await openDeadLetterCount(w.knex)).to.equal(RUNS);

    // Most guardians are topped up; the others' runs will fail again each time they are replayed.
    const { rows: guardians } = await w.knex.raw<{ rows: Array<{ guardian_id: string }> }>('SELECT DISTINCT guardian_id FROM allowance_schedules ORDER BY guardian_id');
    const funded = guardians.slice(UNFUNDED).map((row) => row.guardian_id);
    for (const guardianId of funded) await w.deposit(guardianId, '1000.00');
    const { rows: fundedRows } = await w.knex.raw<{ rows: Array<{ id: string }> }>('SELECT id FROM allowance_schedules WHERE guardian_id = ANY(?::uuid[])', [funded]);
    const fundedRuns = new Set(fundedRows.map((row) => runKey(row.id)));

    // A replaying process of its own, on a broker connection named under the world's prefix.
    replayer = openTestProcess('cli', w.env, {
      clock: w.clock,
      logger: w.logger.withLayer('replayer'),
      transport: (config, logger) =>
        new AmqpAllowanceTransport({ url: w.broker.url, queueName: config.allowance.queueName, retryDelayMs: config.allowance.retryDelayMs, logger, connectionName: `${w.broker.prefix}.replayer` }),
    });
    const { deadLetters } = await replayer.container.getAsync(ServiceIds.Repositories);
    const transport = await replayer.container.getAsync(ServiceIds.Transport);
    const requests: ReplayRequest[] = [];
    const replayAll = async (): Promise<ReplayRequest> => {
      const request: ReplayRequest = { requestId: randomUUID(), attempted: [], confirmed: [], outcome: 'done', replayed: 0 };
      requests.push(request);
      const queue: AllowanceQueue = {
        async publish(messages) {
          const messageIds = messages.map((message) => message.messageId);
          request.attempted.push(messageIds);
          await transport.publisher.publish(messages);
          request.confirmed.push(messageIds);
        },
      };
      try {
        const result = await replayDeadLetters({ deadLetters, queue, clock: w.clock, logger: w.logger.withLayer('replayer'), pageSize: PAGE_SIZE }, { all: true }, { requestId: request.requestId, by: 'faults' });
        request.replayed = result.replayed.length;
      } catch (error) {
        if (!isDomainError(error) || error.code !== 'ALLOWANCE.QUEUE_UNAVAILABLE') throw error;
        request.outcome = 'broker-failed';
        request.replayed = Number(error.details?.['replayed'] ?? 0);
      }
      return request;
    };

    let closed = 0;
    let rounds = 0;
    /** Runs credited while their dead letter was open again (the broker kept a message whose confirm it never sent). */
    let creditedWhileOpen = 0;
    while (rounds < MAX_ROUNDS) {
      rounds += 1;
      const faulty = rounds <= FAULT_ROUNDS;
      const closing = faulty ? closeBrokerConnections(w.broker.prefix, `faults: the broker closes connections during replay ${rounds}`) : Promise.resolve(0);
      await Promise.all(Array.from({ length: faulty ? 2 : 1 }, () => replayAll()));
      closed += await closing;
      const settled = await settle(`the queues to empty after replay round ${rounds}`);
      creditedWhileOpen = Math.max(creditedWhileOpen, settled.creditedAndOpen);
      if (!faulty && (await creditCount()) === fundedRuns.size) break;
    }

    // The table and the broker agree.
    const { rows: table } = await w.knex.raw<{ rows: Array<{ message_key: string; status: string; replay_request_id: string | null }> }>(
      'SELECT message_key, status, replay_request_id FROM allowance_dead_letters',
    );
    const { rows: credits } = await w.knex.raw<{ rows: Array<{ schedule_id: string }> }>('SELECT schedule_id FROM allowance_credits');
    const credited = new Set(credits.map((row) => runKey(row.schedule_id)));
    const open = new Map<string, number>();
    for (const row of table) if (row.status === 'open') open.set(row.message_key, (open.get(row.message_key) ?? 0) + 1);
    const problems = {
      lost: ids.filter((id) => !credited.has(runKey(id)) && !open.has(runKey(id))),
      unfundedCredited: ids.filter((id) => !fundedRuns.has(runKey(id)) && credited.has(runKey(id))),
      fundedNotCredited: [...fundedRuns].filter((key) => !credited.has(key)),
      twiceOpen: [...open.entries()].filter(([, n]) => n > 1).map(([key]) => key),
      // A claim whose publish went unconfirmed stays `replaying` (until stale) only when its run came back as an open dead letter meanwhile.
      leftReplaying: table.filter(
        (row) =>
          row.status === 'replaying' &&
          !(open.has(row.message_key) && requests.some((request) => request.requestId === row.replay_request_id && request.outcome === 'broker-failed')),
      ),
      publishedTwiceByARequest: requests.filter((request) => new Set(request.attempted.flat()).size !== request.attempted.flat().length).map((request) => request.requestId),
      replayedWithoutConfirm: table.filter((row) => {
        if (row.status !== 'replayed') return false;
        const request = requests.find((candidate) => candidate.requestId === row.replay_request_id);
        return !request || !request.confirmed.flat().includes(row.message_key);
      }),
      confirmedNotReplayed: requests.flatMap((request) =>
        request.confirmed.flat().filter((key) => !table.some((row) => row.message_key === key && row.replay_request_id === request.requestId && row.status === 'replayed')),
      ),
    };
    const invariants = await checkInvariants(w.knex, { runs: ids.map((scheduleId) => ({ scheduleId, runAt: anchorAt })), deadLettered: await deadLetterKeys(w.knex) });
    const broken = Object.values(problems).reduce((sum, list) => sum + list.length, 0);
    const failed = requests.filter((request) => request.outcome === 'broker-failed').length;
    const publishedRuns = requests.reduce((sum, request) => sum + request.attempted.flat().length, 0);
    report.finish({
      load: `${RUNS} dead letters (${RUNS - fundedRuns.size} of guardians never topped up), ${requests.length} replays of all in ${rounds} rounds, ${publishedRuns} runs published, ${credited.size} credited`,
      faults: `${closed} connections closed as ${FAULT_ROUNDS} replays began; ${failed} replays stopped by the broker; ${creditedWhileOpen} runs credited while open again`,
      violations: invariants.total + broken,
    });

    expect(closed, 'connections of the replayer, the workers and the API closed in each faulty round').to.be.at.least(FAULT_ROUNDS * 2);
    expect(problems).to.deep.equal({
      lost: [],
      unfundedCredited: [],
      fundedNotCredited: [],
      twiceOpen: [],
      leftReplaying: [],
      publishedTwiceByARequest: [],
      replayedWithoutConfirm: [],
      confirmedNotReplayed: [],
    });
    expect(await openDeadLetterCount(w.knex), 'the never-paid runs wait as open dead letters').to.equal(RUNS - fundedRuns.size);
    expect(invariants.total, invariants.describe()).to.equal(0);
    await assertMoneyConserved(w.knex);
  });
});
