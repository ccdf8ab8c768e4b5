import { expect } from 'chai';
import { DomainError } from '../kernel/domain-error';
import { allowanceMessageId, allowanceRunMessage, parseAllowanceMessage } from './allowance-message';

const codeOf = (raw: unknown): string | undefined => {
  try {
    parseAllowanceMessage(raw);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
};

describe('allowance messages', () => {
  it('gives a run the same message id every time it is published', () => {
    const runAt = new Date('2025-03-01T14:00:00Z');
    expect(allowanceMessageId('sch-1', runAt)).to.equal('sch-1:2025-03-01T14:00:00.000Z');
    expect(allowanceRunMessage('sch-1', runAt)).to.deep.equal({ scheduleId: 'sch-1', runAt: '2025-03-01T14:00:00.000Z', messageId: 'sch-1:2025-03-01T14:00:00.000Z' });
  });

  it('reads a body as an object or as its JSON text', () => {
    const body = { scheduleId: '6f1c2a9e-6b1d-4c1e-9a53-1c2b3d4e5f60', runAt: '2025-03-01T08:00:00-06:00' };
    expect(parseAllowanceMessage(body).runAt.toISOString()).to.equal('2025-03-01T14:00:00.000Z');
    expect(parseAllowanceMessage(JSON.stringify(body)).scheduleId).to.equal(body.scheduleId);
  });

  const bad: Array<[string, unknown, string]> = [
    ['not JSON', '{scheduleId', 'VALIDATION.INVALID_INPUT'],
    ['not an object', ['sch-1', '2025-03-01T14:00:00Z'], 'VALIDATION.INVALID_INPUT'],
    ['missing runAt', { scheduleId: 'sch-1' }, 'VALIDATION.INVALID_INPUT'],
    ['an extra field', { scheduleId: 'sch-1', runAt: '2025-03-01T14:00:00Z', amount: '1.00' }, 'VALIDATION.INVALID_INPUT'],
    ['a scheduleId with the separator', { scheduleId: 'sch:1', runAt: '2025-03-01T14:00:00Z' }, 'VALIDATION.INVALID_INPUT'],
    ['a numeric scheduleId', { scheduleId: 1, runAt: '2025-03-01T14:00:00Z' }, 'VALIDATION.INVALID_INPUT'],
    ['an empty scheduleId', { scheduleId: '', runAt: '2025-03-01T14:00:00Z' }, 'VALIDATION.INVALID_INPUT'],
    ['runAt without an offset', { scheduleId: 'sch-1', runAt: '2025-03-01T14:00:00' }, 'TIME.INVALID_INSTANT'],
    ['runAt as a number', { scheduleId: 'sch-1', runAt: 1740837600000 }, 'TIME.INVALID_INSTANT'],
  ];
  for (const [name, raw, code] of bad) {
    it(`rejects ${name} with ${code}`, () => {
      expect(codeOf(raw)).to.equal(code);
    });
  }
});
