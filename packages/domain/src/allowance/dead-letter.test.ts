import { expect } from 'chai';
import { MAX_DEAD_LETTER_BODY_CHARS, deadLetterOf, digest } from './dead-letter';
import type { DeadLetterMessage } from './allowance-transport.port';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const RUN_AT = '2025-06-01T06:00:00.000Z';
const message = (overrides: Partial<DeadLetterMessage>): DeadLetterMessage => ({
  messageId: 'm-1',
  rawBody: JSON.stringify({ scheduleId: 'sch-1', runAt: RUN_AT }),
  reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS',
  reason: 'gave up after 5 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 45.00',
  attempts: 5,
  deadLetteredAt: new Date('2025-06-01T11:59:00.000Z'),
  ...overrides,
});

describe('deadLetterOf', () => {
  it('keys a run by scheduleId:runAt whatever its message id, keeping no body', () => {
    expect(deadLetterOf(message({ messageId: 'anything' }), NOW)).to.deep.equal({
      messageKey: `sch-1:${RUN_AT}`,
      messageId: 'anything',
      scheduleId: 'sch-1',
      runAt: new Date(RUN_AT),
      reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS',
      reason: 'gave up after 5 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 45.00',
      attempts: 5,
      rawBody: null,
      deadLetteredAt: new Date('2025-06-01T11:59:00.000Z'),
      recordedAt: NOW,
      traceContext: null,
    });
  });

  it('keeps the trace context the message carried when it is well formed, and drops a malformed one', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(deadLetterOf(message({ traceContext: { traceparent, tracestate: 'banca=1' } }), NOW).traceContext).to.deep.equal({ traceparent, tracestate: 'banca=1' });
    expect(deadLetterOf(message({ traceContext: { traceparent: 'DROP TABLE' } }), NOW).traceContext).to.equal(null);
  });

  it('keeps a malformed body, bounded, keyed by its message id and a digest of all of it', () => {
    const long = `not json ${'x'.repeat(10_000)}`;
    const letter = deadLetterOf(message({ rawBody: long, reasonCode: 'VALIDATION.INVALID_INPUT', reason: 'VALIDATION.INVALID_INPUT: not JSON' }), NOW);
    expect(letter).to.deep.include({ scheduleId: null, runAt: null, reasonCode: 'VALIDATION.INVALID_INPUT' });
    expect(letter.rawBody).to.have.length(MAX_DEAD_LETTER_BODY_CHARS);
    expect(letter.messageKey).to.equal(`malformed:m-1:${digest(long)}`);
    const differentTail = deadLetterOf(message({ rawBody: `${long.slice(0, -1)}y` }), NOW);
    expect(differentTail.messageKey, 'bodies that differ past the kept part are two dead letters').to.not.equal(letter.messageKey);
    expect(deadLetterOf(message({ rawBody: long, messageId: null }), NOW).messageKey).to.equal(`malformed::${digest(long)}`);
  });

  it('keeps text PostgreSQL can store: NUL becomes U+FFFD', () => {
    const letter = deadLetterOf(message({ rawBody: 'a\u0000b', messageId: 'x\u0000', reason: 'VALIDATION.INVALID_INPUT: \u0000' }), NOW);
    expect(letter).to.deep.include({ rawBody: 'a\uFFFDb', messageId: 'x\uFFFD', reason: 'VALIDATION.INVALID_INPUT: \uFFFD' });
    expect(letter.messageKey).to.equal(`malformed:x\uFFFD:${digest('a\u0000b')}`);
    const emoji = deadLetterOf(message({ rawBody: `${'x'.repeat(MAX_DEAD_LETTER_BODY_CHARS - 1)}\u{1F600}` }), NOW);
    expect(emoji.rawBody, 'never half a character').to.equal('x'.repeat(MAX_DEAD_LETTER_BODY_CHARS - 1));
  });

  it('takes the reason code given, else the first one in the reason, else UNKNOWN; the time and attempts it can', () => {
    expect(deadLetterOf(message({ reasonCode: null }), NOW).reasonCode).to.equal('ALLOWANCE.INSUFFICIENT_FUNDS');
    expect(deadLetterOf(message({ reasonCode: 'not a code', reason: 'TIME.INVALID_INSTANT: runAt must be…' }), NOW).reasonCode).to.equal('TIME.INVALID_INSTANT');
    const foreign = deadLetterOf(message({ reasonCode: null, reason: null, deadLetteredAt: null, attempts: Number.NaN }), NOW);
    expect(foreign).to.deep.include({ reasonCode: 'UNKNOWN', reason: 'no reason given', deadLetteredAt: NOW, attempts: 1 });
  });

  it('digests text into 28 hex digits that differ for different text', () => {
    expect(digest('a')).to.match(/^[0-9a-f]{28}$/);
    expect(digest('a')).to.equal(digest('a'));
    expect(new Set(['', 'a', 'b', 'ab', 'ba', '\u{1F600}'].map(digest)).size).to.equal(6);
  });
});
