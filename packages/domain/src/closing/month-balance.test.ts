import { expect } from 'chai';
import fc from 'fast-check';
import { Money } from '../money/money';
import { expectDomainError } from '../kernel/domain-error.test-helpers';
import { nextRemainingBalance, statementBalance } from '../settlement/settlement.rules';
import type { ClosingTicket } from './month-balance';
import { computeMonthBalance } from './month-balance';

const ticket = (totalAmount: string, change: Partial<ClosingTicket> = {}): ClosingTicket => ({
  status: 'ACTIVE', totalAmount, totalPayout: '0.00', commissionAmount: '0.00', listeroCommissionAmount: '0.00', ...change,
});

describe('computeMonthBalance', () => {
  const tickets = [
    ticket('100.00', { totalPayout: '20.00', commissionAmount: '10.00', listeroCommissionAmount: '15.00' }),
    ticket('999.00', { status: 'CANCELLED', commissionAmount: '9.00' }),
    ticket('888.00', { status: 'EXCLUDED', listeroCommissionAmount: '8.00' }),
    ticket('50.5', { status: 'PAID', commissionAmount: '5.05', listeroCommissionAmount: '7.50' }),
  ];
  const movements = [
    { type: 'payment' as const, amount: '25.00', isReversed: false },
    { type: 'collection' as const, amount: '40.00', isReversed: true },
    { type: 'collection' as const, amount: '12.00', isReversed: false },
  ];

  it("takes a vendedor's own commission and leaves cancelled and excluded tickets and reversed movements out", () => {
    expect(computeMonthBalance({ dimension: 'vendedor', tickets, movements })).to.deep.equal({
      ticketCount: 2, totalSales: '150.50', totalPayouts: '20.00', totalCommissions: '15.05', netBalance: '115.45',
      totalPaid: '25.00', totalCollected: '12.00', openingBalance: '0.00', remainingBalance: '128.45',
    });
  });

  it('takes the listero commission for ventanas and bancas, and starts from the opening balance', () => {
    for (const dimension of ['ventana', 'banca'] as const) {
      expect(computeMonthBalance({ dimension, openingBalance: '-100', tickets, movements })).to.include({
        totalCommissions: '22.50', netBalance: '108.00', openingBalance: '-100.00', remainingBalance: '21.00',
      });
    }
  });

  it('is all zeros for an idle month', () => {
    expect(computeMonthBalance({ dimension: 'banca', tickets: [], movements: [] })).to.deep.equal({
      ticketCount: 0, totalSales: '0.00', totalPayouts: '0.00', totalCommissions: '0.00', netBalance: '0.00',
      totalPaid: '0.00', totalCollected: '0.00', openingBalance: '0.00', remainingBalance: '0.00',
    });
  });

  it('adds 100,000 tickets of 0.10 to exactly 10000.00', () => {
    const many = Array.from({ length: 100_000 }, () => ticket('0.10'));
    expect(computeMonthBalance({ dimension: 'vendedor', tickets: many, movements: [] })).to.include({
      ticketCount: 100_000, totalSales: '10000.00', netBalance: '10000.00', remainingBalance: '10000.00',
    });
  });

  it('refuses an unknown dimension and a malformed amount', () => {
    expectDomainError(() => computeMonthBalance({ dimension: 'loteria' as 'banca', tickets: [], movements: [] }), 'CLOSING.INVALID_DIMENSION');
    expectDomainError(() => computeMonthBalance({ dimension: 'banca', tickets: [ticket('1e3')], movements: [] }), 'MONEY.INVALID_AMOUNT');
  });

  it('the running daily balance of a month ends at the month remaining balance', () => {
    const amount = fc.bigInt({ min: 0n, max: 5_000_000n }).map((cents) => Money.ofCents(cents).toString());
    const arbTicket = fc.record({
      status: fc.constantFrom('ACTIVE', 'PAID', 'EVALUATED', 'CANCELLED', 'EXCLUDED'),
      totalAmount: amount, totalPayout: amount, commissionAmount: amount, listeroCommissionAmount: amount,
    });
    const arbMovement = fc.record({ type: fc.constantFrom('payment' as const, 'collection' as const), amount, isReversed: fc.boolean() });
    const arbDay = fc.record({ tickets: fc.array(arbTicket, { maxLength: 6 }), movements: fc.array(arbMovement, { maxLength: 4 }) });
    const arbOpening = fc.bigInt({ min: -5_000_000n, max: 5_000_000n }).map((cents) => Money.ofCents(cents).toString());

    fc.assert(
      fc.property(fc.constantFrom('vendedor' as const, 'ventana' as const, 'banca' as const), arbOpening, fc.array(arbDay, { maxLength: 31 }), (dimension, opening, days) => {
        let remaining = opening;
        for (const day of days) {
          const daily = computeMonthBalance({ dimension, ...day });
          const balance = statementBalance({ totalSales: daily.totalSales, totalPayouts: daily.totalPayouts, totalCommissions: daily.totalCommissions });
          remaining = nextRemainingBalance(remaining, { balance, totalCollected: daily.totalCollected, totalPaid: daily.totalPaid });
        }
        const month = computeMonthBalance({
          dimension,
          openingBalance: opening,
          tickets: days.flatMap((d) => d.tickets),
          movements: days.flatMap((d) => d.movements),
        });
        expect(month.remainingBalance).to.equal(remaining);
      }),
    );
  });
});
