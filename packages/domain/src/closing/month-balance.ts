import { Money } from '../money/money';
import type { AccountDimension } from '../settlement/account-entity';
import { ACCOUNT_DIMENSIONS } from '../settlement/account-entity';
import { DomainError } from '../kernel/domain-error';
import { isSoldTicketStatus } from '../sorteos/sorteo-lifecycle';
import { movementTotals, nextRemainingBalance } from '../settlement/settlement.rules';
import type { MovementLike } from '../settlement/settlement.rules';

export type ClosingDimension = AccountDimension;
export const CLOSING_DIMENSIONS = ACCOUNT_DIMENSIONS;


export interface ClosingTicket {
  status: string;
  totalAmount: string;
  totalPayout: string;
  /** The vendedor's commission. */
  commissionAmount: string;
  /** The ventana's (listero's) commission, also what the banca pays out for the ticket. */
  listeroCommissionAmount: string;
}

export interface MonthBalanceInput {
  dimension: ClosingDimension;
  /** The entity's remaining balance at the previous month's closing; 0 when none. */
  openingBalance?: string;
  /** Every ticket of the month under the entity (for a ventana or banca, those of all its vendedores). */
  tickets: Iterable<ClosingTicket>;
  /** The entity's own movements of the month only. */
  movements: Iterable<MovementLike>;
}

export interface MonthBalance {
  ticketCount: number;
  totalSales: string;
  totalPayouts: string;
  totalCommissions: string;
  netBalance: string;
  totalPaid: string;
  totalCollected: string;
  openingBalance: string;
  remainingBalance: string;
}

/**
 * The month of one entity (docs/architecture.md, The banca rules): netBalance = sales − payouts − commissions;
 * remainingBalance = opening + net − collected + paid. Exact; every amount a two-decimal string.
 * Throws CLOSING.INVALID_DIMENSION or MONEY.INVALID_AMOUNT.
 */
export function computeMonthBalance(input: MonthBalanceInput): MonthBalance {
  if (!(CLOSING_DIMENSIONS as readonly unknown[]).includes(input.dimension)) {
    throw new DomainError('CLOSING.INVALID_DIMENSION', `invalid closing dimension ${JSON.stringify(input.dimension)}: expected vendedor, ventana or banca`, {
      value: String(input.dimension),
    });
  }
  const vendedor = input.dimension === 'vendedor';
  let ticketCount = 0;
  let sales = 0n;
  let payouts = 0n;
  let commissions = 0n;
  for (const ticket of input.tickets) {
    if (!isSoldTicketStatus(ticket.status)) continue;
    ticketCount += 1;
    sales += cents(ticket.totalAmount);
    payouts += cents(ticket.totalPayout);
    commissions += cents(vendedor ? ticket.commissionAmount : ticket.listeroCommissionAmount);
  }
  const netBalance = Money.ofCents(sales - payouts - commissions).toString();
  const { totalPaid, totalCollected } = movementTotals(input.movements);
  const openingBalance = Money.parseUnbounded(input.openingBalance ?? '0').toString();
  return {
    ticketCount,
    totalSales: Money.ofCents(sales).toString(),
    totalPayouts: Money.ofCents(payouts).toString(),
    totalCommissions: Money.ofCents(commissions).toString(),
    netBalance,
    totalPaid,
    totalCollected,
    openingBalance,
    // The month closes like one long statement day: the same running rule settlement applies daily.
    remainingBalance: nextRemainingBalance(openingBalance, { balance: netBalance, totalCollected, totalPaid }),
  };
}

const cents = (value: string): bigint => Money.parseUnbounded(value).cents;
