import { expect } from 'chai';
import { fixedClock } from '../kernel/clock.port';
import { expectDomainError, expectDomainRejection } from '../kernel/domain-error.test-helpers';
import { memoryLogger } from '../kernel/logger.port';
import { InMemoryAllowanceQueue } from '../testing/allowance/in-memory-allowance-queue';
import { InMemoryDeadLetters } from '../testing/allowance/in-memory-dead-letters';
import type { DeadLetterMessage } from './allowance-transport.port';
import { purgeRequestOf, replayTargetOf } from './dead-letter-request';
import { getDeadLetter, listDeadLetters } from './list-dead-letters.use-case';
import { purgeDeadLetters } from './purge-dead-letters.use-case';
import { recordDeadLetter } from './record-dead-letter.use-case';
import { replayDeadLetters } from './replay-dead-letters.use-case';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const TRACE = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
const runBody = (scheduleId: string, minutes = 0) => JSON.stringify({ scheduleId, runAt: new Date(NOW.getTime() - 3_600_000 + minutes * 60_000).toISOString() });
const dlqMessage = (rawBody: string, overrides: Partial<DeadLetterMessage> = {}): DeadLetterMessage => ({
  messageId: 'm',
  rawBody,
  reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS',
  reason: 'gave up after 5 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: short',
  attempts: 5,
  deadLetteredAt: null,
  traceContext: TRACE,
  ...overrides,
});

function world() {
  const deadLetters = new InMemoryDeadLetters();
  const queue = new InMemoryAllowanceQueue();
  const logger = memoryLogger('test');
  const deps = { deadLetters, queue, clock: fixedClock(NOW), logger };
  const record = (rawBody: string, overrides: Partial<DeadLetterMessage> = {}) => recordDeadLetter(deps, dlqMessage(rawBody, overrides));
  const ids = async () => (await deadLetters.list({ status: null, reasonCode: null, scheduleId: null, from: null, to: null, after: null, limit: 1000 })).map((row) => row.id).reverse();
  return { deadLetters, queue, logger, deps, record, ids };
}

describe('dead letters: record, list, replay, purge', () => {
  it('records a message taken from the DLQ once while it is open', async () => {
    const w = world();
    expect(await w.record(runBody('a'))).to.deep.equal({ recorded: true });
    expect(await w.record(runBody('a'), { messageId: 'a copy' })).to.deep.equal({ recorded: false });
    expect(w.logger.entries.map((entry) => entry.action)).to.deep.equal(['ALLOWANCE_DEAD_LETTER_RECORDED', 'ALLOWANCE_DEAD_LETTER_ALREADY_RECORDED']);
    expect(await w.deadLetters.countOpen()).to.equal(1);
  });

  it('lists a page with a cursor to the next, and refuses each bad filter naming it', async () => {
    const w = world();
    for (let i = 0; i < 3; i++) await w.record(runBody('a', i), { deadLetteredAt: new Date(NOW.getTime() - i * 1000) });
    const first = await listDeadLetters(w.deps, { limit: 2 });
    expect(first.items).to.have.length(2);
    const second = await listDeadLetters(w.deps, { limit: 2, cursor: first.nextCursor! });
    expect(second).to.deep.include({ nextCursor: null });
    expect(second.items.map((row) => row.deadLetteredAt)).to.deep.equal([new Date(NOW.getTime() - 2000)]);
    expect((await listDeadLetters(w.deps, { status: 'replayed' })).items).to.deep.equal([]);
    expect((await listDeadLetters(w.deps, { status: 'any', scheduleId: 'a', reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS', from: '2025-06-01T05:59:58-06:00', to: '2025-06-01T12:00:00Z' })).items).to.have.length(2);
    const cases: Array<[object, string, string]> = [
      [{ status: 'closed' }, 'VALIDATION.INVALID_INPUT', 'status'],
      [{ reasonCode: 'insufficient funds' }, 'VALIDATION.INVALID_INPUT', 'reasonCode'],
      [{ scheduleId: "1' OR '1'='1" }, 'VALIDATION.INVALID_INPUT', 'scheduleId'],
      [{ from: '2025-13-01T00:00:00Z' }, 'TIME.INVALID_INSTANT', 'from'],
      [{ to: '2025-06-01T00:00:00' }, 'TIME.INVALID_INSTANT', 'to'],
      [{ from: '2025-06-02T00:00:00Z', to: '2025-06-01T00:00:00Z' }, 'VALIDATION.INVALID_INPUT', 'to'],
      [{ limit: 0 }, 'VALIDATION.INVALID_INPUT', 'limit'],
      [{ limit: 10_000 }, 'VALIDATION.INVALID_INPUT', 'limit'],
      [{ cursor: 'bm9wZQ' }, 'VALIDATION.INVALID_INPUT', 'cursor'],
    ];
    for (const [options, code, field] of cases) {
      const error = await expectDomainRejection(listDeadLetters(w.deps, options), code as 'VALIDATION.INVALID_INPUT');
      expect(error.details?.['field'], JSON.stringify(options)).to.equal(field);
    }
  });

  it('finds one dead letter, or answers DEAD_LETTER.NOT_FOUND', async () => {
    const w = world();
    await w.record(runBody('a'));
    const [id] = await w.ids();
    expect((await getDeadLetter(w.deps, id!.toUpperCase())).id).to.equal(id);
    await expectDomainRejection(getDeadLetter(w.deps, '00000000-0000-4000-8000-00000000dead'), 'DEAD_LETTER.NOT_FOUND');
    expect((await expectDomainRejection(getDeadLetter(w.deps, 'nope'), 'VALIDATION.INVALID_INPUT')).details).to.include({ field: 'id' });
  });

  it('replays chosen dead letters once each, saying why the others were not', async () => {
    const w = world();
    await w.record(runBody('a'));
    await w.record(runBody('b'));
    await w.record('not json', { reasonCode: 'VALIDATION.INVALID_INPUT' });
    await w.record(runBody('c'));
    const [a, b, malformed, c] = await w.ids();
    await purgeDeadLetters(w.deps, { ids: [c!], reason: 'paid by hand' }, 'ops');
    const unknown = '00000000-0000-4000-8000-00000000dead';
    const result = await replayDeadLetters(w.deps, { ids: [a!, b!, malformed!, c!, unknown] }, { requestId: 'req-1', by: 'ops' });
    expect(result.replayed.map((row) => row.id)).to.deep.equal([a, b]);
    expect(result.notReplayed).to.deep.equal([
      { id: malformed, reason: 'malformed' },
      { id: c, reason: 'purged' },
      { id: unknown, reason: 'unknown' },
    ]);
    expect(w.queue.published.map((message) => message.replayOf), 'each publish links to the trace the run failed in').to.deep.equal([TRACE, TRACE]);
    expect(w.queue.drain()).to.deep.equal([JSON.parse(runBody('a')), JSON.parse(runBody('b'))]);
    expect(await w.deadLetters.findById(a!)).to.deep.include({ status: 'replayed', replayedBy: 'ops', replayedAt: NOW, replayRequestId: 'req-1' });
    const again = await replayDeadLetters(w.deps, { ids: [a!] }, { requestId: 'req-2', by: 'ops' });
    expect(again).to.deep.equal({ requestId: 'req-2', replayed: [], notReplayed: [{ id: a, reason: 'already-replayed' }] });
    expect(w.queue.published).to.deep.equal([]);
  });

  it('replays all the open dead letters recorded when it began, oldest first, in pages, up to a limit', async () => {
    const w = world();
    for (let i = 0; i < 5; i++) await w.record(runBody(`s${i}`));
    await w.record('poison', { reasonCode: 'VALIDATION.INVALID_INPUT' });
    // Each publish makes the worker dead-letter a run again at once: the replay must not take those.
    const publish = w.queue.publish.bind(w.queue);
    w.queue.publish = async (messages) => {
      await publish(messages);
      for (const message of messages) await w.record(JSON.stringify({ scheduleId: message.scheduleId, runAt: message.runAt }));
    };
    const limited = await replayDeadLetters({ ...w.deps, pageSize: 2 }, { all: true, limit: 3 }, { requestId: 'r1', by: 'ops' });
    expect(limited.replayed.map((row) => row.scheduleId)).to.deep.equal(['s0', 's1', 's2']);
    const rest = await replayDeadLetters({ ...w.deps, pageSize: 2 }, { all: true }, { requestId: 'r2', by: 'ops' });
    expect(rest.replayed.map((row) => row.scheduleId), 'not the ones that failed again during the first request').to.deep.equal(['s3', 's4', 's0', 's1', 's2']);
    expect(w.queue.drain().map((body) => body.scheduleId)).to.deep.equal(['s0', 's1', 's2', 's3', 's4', 's0', 's1', 's2']);
    expect(await w.deadLetters.countOpen(), 'five again, and the poison').to.equal(6);
  });

  it('publishes a run once per request though two of its rows name it', async () => {
    const w = world();
    await w.record(runBody('a'));
    const [first] = await w.ids();
    await w.deadLetters.claimForReplay({ requestId: 'died', claimedAt: new Date(NOW.getTime() - 3_600_000), staleBefore: NOW, ids: [first!] });
    await w.record(runBody('a'));
    const [, second] = await w.ids();
    const result = await replayDeadLetters(w.deps, { ids: [first!, second!] }, { requestId: 'r', by: 'ops' });
    expect(result.replayed.map((row) => row.id)).to.deep.equal([first, second]);
    expect(w.queue.drain()).to.have.length(1);
  });

  it('puts a batch the broker did not confirm back to open and fails with ALLOWANCE.QUEUE_UNAVAILABLE', async () => {
    const w = world();
    for (let i = 0; i < 4; i++) await w.record(runBody(`s${i}`));
    const publish = w.queue.publish.bind(w.queue);
    let calls = 0;
    w.queue.publish = async (messages) => {
      calls += 1;
      if (calls === 2) throw new Error('channel closed');
      await publish(messages);
    };
    const error = await expectDomainRejection(replayDeadLetters({ ...w.deps, pageSize: 2 }, { all: true }, { requestId: 'r', by: 'ops' }), 'ALLOWANCE.QUEUE_UNAVAILABLE');
    expect(error.details).to.deep.equal({ requestId: 'r', replayed: 2 });
    const rows = await w.deadLetters.list({ status: null, reasonCode: null, scheduleId: null, from: null, to: null, after: null, limit: 10 });
    expect(rows.map((row) => [row.scheduleId, row.status]).sort()).to.deep.equal([['s0', 'replayed'], ['s1', 'replayed'], ['s2', 'open'], ['s3', 'open']]);
    const retry = await replayDeadLetters(w.deps, { all: true }, { requestId: 'r2', by: 'ops' });
    expect(retry.replayed.map((row) => row.scheduleId)).to.deep.equal(['s2', 's3']);
  });

  it('purges chosen open dead letters with a reason, saying why the others were not', async () => {
    const w = world();
    await w.record(runBody('a'));
    await w.record(runBody('b'));
    const [a, b] = await w.ids();
    await replayDeadLetters(w.deps, { ids: [b!] }, { requestId: 'r', by: 'ops' });
    expect(await purgeDeadLetters(w.deps, { ids: [a!, b!], reason: 'schedule deleted' }, 'cli:ana')).to.deep.equal({ purged: [a], notPurged: [{ id: b, reason: 'already-replayed' }] });
    expect(await w.deadLetters.findById(a!)).to.deep.include({ status: 'purged', purgedBy: 'cli:ana', purgedAt: NOW, purgeReason: 'schedule deleted' });
    expect((await purgeDeadLetters(w.deps, { ids: [a!], reason: 'again' }, 'ops')).notPurged).to.deep.equal([{ id: a, reason: 'purged' }]);
  });

  it('reads replay and purge requests strictly, naming the field', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect(replayTargetOf({ ids: [id, id.toUpperCase()] })).to.deep.equal({ ids: [id] });
    expect(replayTargetOf({ all: true, limit: 5 })).to.deep.equal({ all: true, limit: 5 });
    expect(purgeRequestOf({ ids: [id], reason: '  paid by hand ' })).to.deep.equal({ ids: [id], reason: 'paid by hand' });
    const cases: Array<[() => unknown, string]> = [
      [() => replayTargetOf({}), 'ids'],
      [() => replayTargetOf({ ids: [id], all: true }), 'all'],
      [() => replayTargetOf({ all: false }), 'all'],
      [() => replayTargetOf({ ids: [id], limit: 3 }), 'limit'],
      [() => replayTargetOf({ all: true, limit: 0 }), 'limit'],
      [() => replayTargetOf({ ids: [] }), 'ids'],
      [() => replayTargetOf({ ids: [id, 'x'] }), 'ids[1]'],
      [() => replayTargetOf({ ids: Array.from({ length: 501 }, () => id) }), 'ids'],
      [() => purgeRequestOf({ ids: [id] }), 'reason'],
      [() => purgeRequestOf({ ids: [id], reason: '   ' }), 'reason'],
      [() => purgeRequestOf({ ids: [id], reason: 'x'.repeat(501) }), 'reason'],
      [() => purgeRequestOf({ reason: 'why' }), 'ids'],
    ];
    for (const [action, field] of cases) expect(expectDomainError(action, 'VALIDATION.INVALID_INPUT').details?.['field']).to.equal(field);
  });
});
