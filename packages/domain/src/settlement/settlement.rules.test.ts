import { expect } from 'chai';
import fc from 'fast-check';
import { Money } from '../money/money';
import { expectDomainError } from '../kernel/domain-error.test-helpers';
import {
  effectiveBatchSize,
  isEligibleForSettlement,
  movementTotals,
  nextRemainingBalance,
  runningRemainingBalances,
  settlementCutoff,
  statementBalance,
} from './settlement.rules';

describe('settlementCutoff', () => {
  it('is today in CR minus the age: 05:59Z is still the previous CR day, 06:00Z the next', () => {
    expect(settlementCutoff(new Date('2025-03-20T05:59:59.999Z'), 7)).to.equal('2025-03-12');
    expect(settlementCutoff(new Date('2025-03-20T06:00:00Z'), 7)).to.equal('2025-03-13');
  });

  it('crosses month and leap-year ends on the CR calendar', () => {
    expect(settlementCutoff(new Date('2024-03-03T12:00:00Z'), 3)).to.equal('2024-02-29');
    expect(settlementCutoff(new Date('2025-01-01T05:00:00Z'), 0)).to.equal('2024-12-31');
  });

  it('refuses an age that is negative, not whole or over ten years', () => {
    for (const age of [-1, 1.5, Number.NaN, 3651]) {
      expectDomainError(() => settlementCutoff(new Date(), age), 'SETTLEMENT.INVALID_CONFIG');
    }
  });
});

describe('effectiveBatchSize', () => {
  const cases: Array<[number | null | undefined, number]> = [
    [undefined, 1000], [null, 1000], [Number.NaN, 1000],
    [1, 1], [1500, 1500], [2000, 2000], [2001, 2000], [Number.POSITIVE_INFINITY, 2000],
    [0, 1], [-5, 1], [Number.NEGATIVE_INFINITY, 1], [10.7, 10], [0.5, 1],
  ];
  for (const [configured, expected] of cases) {
    it(`uses ${expected} for ${String(configured)}`, () => {
      expect(effectiveBatchSize(configured)).to.equal(expected);
    });
  }
});

describe('isEligibleForSettlement', () => {
  const cutoff = '2025-03-13';
  const base = { isSettled: false, date: '2025-03-12', ticketCount: 0, totalPaid: '0.00', totalCollected: '0.00' };
  const cases: Array<[string, Partial<typeof base>, boolean]> = [
    ['tickets sold the day before the cutoff', { ticketCount: 1 }, true],
    ['only a payment', { totalPaid: '0.01' }, true],
    ['only a collection', { totalCollected: '250.00' }, true],
    ['no activity at all (a carried-forward day)', {}, false],
    ['already settled', { ticketCount: 3, isSettled: true }, false],
    ['dated on the cutoff', { ticketCount: 3, date: cutoff }, false],
    ['dated after the cutoff', { ticketCount: 3, date: '2025-03-20' }, false],
    ['a negative paid total is no activity', { totalPaid: '-5.00' }, false],
    ['a year earlier with a collection', { date: '2024-03-13', totalCollected: '1' }, true],
  ];
  for (const [name, change, expected] of cases) {
    it(`${expected ? 'settles' : 'leaves'} ${name}`, () => {
      expect(isEligibleForSettlement({ ...base, ...change }, cutoff)).to.equal(expected);
    });
  }
});

describe('statement balances', () => {
  it('balance is sales minus payouts minus commissions, exactly', () => {
    expect(statementBalance({ totalSales: '0.30', totalPayouts: '0.10', totalCommissions: '0.20' })).to.equal('0.00');
    expect(statementBalance({ totalSales: '100', totalPayouts: '250.75', totalCommissions: '10.5' })).to.equal('-161.25');
  });

  it('paid and collected leave reversed movements out', () => {
    expect(
      movementTotals([
        { type: 'payment', amount: '10.10', isReversed: false },
        { type: 'payment', amount: '99.00', isReversed: true },
        { type: 'collection', amount: '0.20', isReversed: false },
      ]),
    ).to.deep.equal({ totalPaid: '10.10', totalCollected: '0.20' });
  });

  it('remaining = previous remaining (else 0) + balance − collected + paid', () => {
    expect(nextRemainingBalance(null, { balance: '100.00', totalCollected: '40.00', totalPaid: '10.00' })).to.equal('70.00');
    expect(nextRemainingBalance('-5.50', { balance: '0', totalCollected: '0', totalPaid: '0' })).to.equal('-5.50');
    expect(runningRemainingBalances('500', [
      { balance: '100', totalCollected: '40', totalPaid: '0' },
      { balance: '-20', totalCollected: '0', totalPaid: '10' },
    ])).to.deep.equal(['560.00', '550.00']);
  });

  it('the last running balance equals the opening plus the sum of daily changes', () => {
    const amount = fc.bigInt({ min: -10_000_000n, max: 10_000_000n }).map((c) => Money.ofCents(c).toString());
    const day = fc.record({ balance: amount, totalCollected: amount, totalPaid: amount });
    fc.assert(
      fc.property(amount, fc.array(day, { minLength: 1, maxLength: 40 }), (opening, days) => {
        const cents = (s: string) => Money.parseUnbounded(s).cents;
        const expected = days.reduce((sum, d) => sum + cents(d.balance) - cents(d.totalCollected) + cents(d.totalPaid), cents(opening));
        expect(cents(runningRemainingBalances(opening, days).at(-1)!)).to.equal(expected);
      }),
    );
  });
});
