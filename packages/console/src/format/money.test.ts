import { expect } from 'chai';
import { formatColones, isNegativeAmount } from './money';

describe('formatColones', () => {
  it('groups thousands and keeps both decimals as Costa Ricans read colones', () => {
    expect(formatColones('1500.30')).to.equal('₡1,500.30');
    expect(formatColones('0.00')).to.equal('₡0.00');
    expect(formatColones('99999999.99')).to.equal('₡99,999,999.99');
    expect(formatColones('100.00')).to.equal('₡100.00');
  });

  it('keeps every digit of amounts past what a double holds exactly', () => {
    expect(formatColones('123456789012345678.91')).to.equal('₡123,456,789,012,345,678.91');
    expect(formatColones('0.10')).to.equal('₡0.10');
  });

  it('puts the sign before the symbol, and shows no negative zero', () => {
    expect(formatColones('-250.75')).to.equal('−₡250.75');
    expect(formatColones('-0.00')).to.equal('₡0.00');
    expect(isNegativeAmount('-0.01')).to.equal(true);
    expect(isNegativeAmount('0.00')).to.equal(false);
  });

  it('shows a value that is not a two-decimal string as it came', () => {
    expect(formatColones('1500.3')).to.equal('1500.3');
    expect(formatColones('abc')).to.equal('abc');
  });
});
