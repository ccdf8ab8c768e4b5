import { Money } from '../money/money';

/** The stored figures of one statement that the chain rule reads. */
export interface ChainLink {
  ticketCount: number;
  balance: string;
  totalPaid: string;
  totalCollected: string;
  remainingBalance: string;
  isSettled: boolean;
}

/**
 * A statement with sales or money moved on its stored figures. A statement without (a carried-forward
 * day) only repeats the balance before it.
 */
export function hasStatementActivity(s: Pick<ChainLink, 'ticketCount' | 'totalPaid' | 'totalCollected'>): boolean {
  return s.ticketCount > 0 || isPositive(s.totalPaid) || isPositive(s.totalCollected);
}

/**
 * Whether the chain rule binds a statement: settled statements and statements without activity
 * follow from the one before; an unsettled statement with activity keeps the sales side's
 * provisional figure until it is settled.
 */
export const isChainBound = (s: ChainLink): boolean => s.isSettled || !hasStatementActivity(s);

/** remaining(previous statement, else 0) + balance − collected + paid, from the stored figures. */
export function chainedRemaining(previousRemaining: string | null, s: Pick<ChainLink, 'balance' | 'totalPaid' | 'totalCollected'>): string {
  const previous = previousRemaining === null ? Money.ZERO : money(previousRemaining);
  return previous.plus(money(s.balance)).minus(money(s.totalCollected)).plus(money(s.totalPaid)).toString();
}

export interface ChainBreak {
  /** Index of the statement that does not follow, in the order given. */
  index: number;
  expectedRemaining: string;
  storedRemaining: string;
}

/**
 * Every chain-bound statement of one entity, given in date order, whose remaining balance does not
 * follow from the statement before it (0 before the first).
 */
export function chainBreaks(statements: readonly ChainLink[]): ChainBreak[] {
  const breaks: ChainBreak[] = [];
  let previous: string | null = null;
  statements.forEach((s, index) => {
    if (isChainBound(s)) {
      const expectedRemaining = chainedRemaining(previous, s);
      if (!money(expectedRemaining).equals(money(s.remainingBalance))) {
        breaks.push({ index, expectedRemaining, storedRemaining: money(s.remainingBalance).toString() });
      }
    }
    previous = s.remainingBalance;
  });
  return breaks;
}

const money = (value: string): Money => Money.parseUnbounded(value);
const isPositive = (value: string): boolean => money(value).cents > 0n;
