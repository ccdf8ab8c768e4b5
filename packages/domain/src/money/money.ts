import { DomainError } from '../kernel/domain-error';

/**
 * Exact money: an immutable amount of céntimos held in a bigint (docs/architecture.md, Money).
 * Crosses every public boundary as a decimal string with two decimals ("1500.00", "-250.75").
 */
export class Money {
  /** The largest absolute amount accepted as input: the range of numeric(14,2) used by the product. */
  static readonly MAX_INPUT = new Money(9_999_999_999n);
  static readonly ZERO = new Money(0n);

  private constructor(readonly cents: bigint) {}

  static ofCents(cents: bigint): Money {
    return cents === 0n ? Money.ZERO : new Money(cents);
  }

  /**
   * Parses a user or database amount: a decimal string or a JSON number with at most two decimals,
   * no exponent, no NaN/Infinity, absolute value at most 99999999.99. Written plainly: no plus sign,
   * no leading zeros (`010.00`) and no spaces around it, which a person would not mean as part of
   * an amount. Throws MONEY.INVALID_AMOUNT.
   */
  static parse(value: unknown): Money {
    const text = typeof value === 'number' ? numberToPlainText(value) : typeof value === 'string' ? value : undefined;
    const match = text === undefined ? null : /^(-?)(0|[1-9]\d*)(?:\.(\d{1,2}))?$/.exec(text);
    if (!match) throw invalidAmount(value, 'expected a decimal amount with at most two decimals');
    const [, sign, whole, fraction = ''] = match;
    const cents = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
    const amount = Money.ofCents(sign === '-' ? -cents : cents);
    if (amount.abs().isGreaterThan(Money.MAX_INPUT)) throw invalidAmount(value, 'amount over 99999999.99');
    return amount;
  }

  /** Like parse, but also refuses zero and negative amounts (a transfer, a ticket price). */
  static parsePositive(value: unknown): Money {
    const amount = Money.parse(value);
    if (amount.cents <= 0n) throw invalidAmount(value, 'amount must be greater than zero');
    return amount;
  }

  /** Sums decimal strings exactly. */
  static sum(values: Iterable<Money | string>): Money {
    let cents = 0n;
    for (const value of values) cents += (typeof value === 'string' ? Money.parseUnbounded(value) : value).cents;
    return Money.ofCents(cents);
  }

  /** Reads an amount already validated by storage (e.g. a numeric aggregate), without the input bound. */
  static parseUnbounded(value: string): Money {
    const match = /^([+-]?)(\d+)(?:\.(\d{1,2})0*)?$/.exec(value.trim());
    if (!match) throw invalidAmount(value, 'expected a decimal amount with at most two decimals');
    const [, sign, whole, fraction = ''] = match;
    const cents = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
    return Money.ofCents(sign === '-' ? -cents : cents);
  }

  plus(other: Money): Money {
    return Money.ofCents(this.cents + other.cents);
  }

  minus(other: Money): Money {
    return Money.ofCents(this.cents - other.cents);
  }

  negate(): Money {
    return Money.ofCents(-this.cents);
  }

  abs(): Money {
    return this.cents < 0n ? this.negate() : this;
  }

  isZero(): boolean {
    return this.cents === 0n;
  }

  isNegative(): boolean {
    return this.cents < 0n;
  }

  isGreaterThan(other: Money): boolean {
    return this.cents > other.cents;
  }

  equals(other: Money): boolean {
    return this.cents === other.cents;
  }

  /** "1500.00", "-0.05". */
  toString(): string {
    const negative = this.cents < 0n;
    const digits = (negative ? -this.cents : this.cents).toString().padStart(3, '0');
    return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Normalises any exact decimal string to two decimals ("5" → "5.00"); throws MONEY.INVALID_AMOUNT. */
export const formatMoney = (value: string): string => Money.parseUnbounded(value).toString();

function numberToPlainText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // String(n) is the shortest round-trip form: 0.1 → "0.1", 1e21 → "1e+21" (refused as an exponent).
  return String(value);
}

function invalidAmount(value: unknown, reason: string): DomainError {
  return new DomainError('MONEY.INVALID_AMOUNT', `invalid amount ${describe(value)}: ${reason}`, { value: describe(value) });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}
