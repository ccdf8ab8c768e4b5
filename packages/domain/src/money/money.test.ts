import { expect } from 'chai';
import fc from 'fast-check';
import { Money, formatMoney } from './money';
import { expectDomainError } from '../kernel/domain-error.test-helpers';

describe('Money.parse', () => {
  it('accepts decimal strings and JSON numbers with at most two decimals', () => {
    const cases: Array<[unknown, string]> = [
      ['1500', '1500.00'],
      ['1500.5', '1500.50'],
      ['-250.75', '-250.75'],
      ['0.10', '0.10'],
      [0.1, '0.10'],
      [12.34, '12.34'],
      [-3, '-3.00'],
      ['99999999.99', '99999999.99'],
      ['-99999999.99', '-99999999.99'],
      ['0', '0.00'],
    ];
    for (const [input, expected] of cases) expect(Money.parse(input).toString(), String(input)).to.equal(expected);
  });

  it('refuses NaN, exponents, more than two decimals, non-numbers and values over 99999999.99', () => {
    const bad: unknown[] = [NaN, Infinity, '1e3', 1e21, 1e-7, '1.234', 1.234, 0.1 + 0.2, '100000000.00', 100000000, 'abc', '', '.5', '5.', '1,5', null, undefined, {}, [], true, '0x10', '١٢'];
    for (const input of bad) expectDomainError(() => Money.parse(input), 'MONEY.INVALID_AMOUNT');
  });

  it('refuses an amount not written plainly: a plus sign, leading zeros, spaces of any kind around it', () => {
    const bad = ['+10', '+0.50', '010.00', '00.50', '-01', ' 10.00', '10.00 ', '\t10.00', '10.00\n', '\u00a010.00', '10.00\u00a0', '\u202f10.00', '10 000.00'];
    for (const input of bad) expectDomainError(() => Money.parse(input), 'MONEY.INVALID_AMOUNT');
  });

  it('refuses zero and negatives where a positive amount is required', () => {
    for (const input of ['0', '0.00', '-1', -0.01]) expectDomainError(() => Money.parsePositive(input), 'MONEY.INVALID_AMOUNT');
    expect(Money.parsePositive('0.01').toString()).to.equal('0.01');
  });
});

describe('Money arithmetic', () => {
  it('sums 100,000 tickets of 0.10 to exactly 10000.00', () => {
    expect(Money.sum(Array.from({ length: 100_000 }, () => '0.10')).toString()).to.equal('10000.00');
  });

  it('formats cents and signs', () => {
    expect(Money.ofCents(5n).toString()).to.equal('0.05');
    expect(Money.ofCents(-5n).toString()).to.equal('-0.05');
    expect(Money.ofCents(0n).toString()).to.equal('0.00');
    expect(JSON.stringify({ amount: Money.parse('1') })).to.equal('{"amount":"1.00"}');
  });

  it('reads storage aggregates beyond the input bound', () => {
    expect(Money.parseUnbounded('123456789012.30').toString()).to.equal('123456789012.30');
    expect(formatMoney('5')).to.equal('5.00');
  });

  it('round-trips every amount through its string (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -9_999_999_999n, max: 9_999_999_999n }), (cents) => {
        expect(Money.parse(Money.ofCents(cents).toString()).cents).to.equal(cents);
      }),
    );
  });

  it('adds and subtracts exactly (property)', () => {
    const amount = fc.bigInt({ min: -9_999_999_999n, max: 9_999_999_999n }).map(Money.ofCents);
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(a.plus(b).minus(b).equals(a)).to.equal(true);
        expect(a.plus(b).equals(b.plus(a))).to.equal(true);
      }),
    );
  });
});
