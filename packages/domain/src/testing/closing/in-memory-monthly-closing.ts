import type { CloseDimensionBatchCommand, CloseDimensionBatchResult, MonthlyClosingRepository } from '../../closing/closing.ports';
import type { ClosingDimension } from '../../closing/month-balance';
import { computeMonthBalance } from '../../closing/month-balance';
import { formatMoney } from '../../money/money';
import { nextRemainingBalance } from '../../settlement/settlement.rules';
import { addMonths } from '../../time/cr-time';
import { InMemoryBancaData } from '../settlement/banca-fixtures';
import type { ClosingRow, GivenClosingTicket, MonthlyClosingContractHarness } from './closing-contract.harness';

type TicketRecord = Required<GivenClosingTicket>;

const TICKET_COLUMN: Record<ClosingDimension, 'vendedorId' | 'ventanaId' | 'bancaId'> = {
  vendedor: 'vendedorId',
  ventana: 'ventanaId',
  banca: 'bancaId',
};

/** The reference MonthlyClosingRepository: computeMonthBalance per entity, rows keyed by month + dimension + entity. */
export class InMemoryMonthlyClosingRepository implements MonthlyClosingRepository {
  readonly tickets: TicketRecord[] = [];
  readonly rows = new Map<string, ClosingRow>();

  constructor(private readonly data: InMemoryBancaData) {}

  async closeDimensionBatch(command: CloseDimensionBatchCommand): Promise<CloseDimensionBatchResult> {
    const { month, previousMonth, firstDay, lastDay, dimension, afterEntityId, limit } = command;
    const page = this.data
      .activeEntities(dimension)
      .filter(({ entity }) => afterEntityId === null || entity.id > afterEntityId)
      .slice(0, limit);
    const inMonth = (date: string) => date >= firstDay && date <= lastDay;
    const result = { processed: 0, errors: 0, lastEntityId: page.at(-1)?.entity.id ?? null, laterRowsUpdated: 0 };
    for (const { entity } of page) {
      try {
        const balance = computeMonthBalance({
          dimension,
          openingBalance: this.rows.get(key(previousMonth, dimension, entity.id))?.remainingBalance ?? '0.00',
          tickets: this.tickets.filter((t) => t[TICKET_COLUMN[dimension]] === entity.id && inMonth(t.businessDate)),
          movements: this.data.movementsOf(entity, inMonth),
        });
        this.rows.set(key(month, dimension, entity.id), { month, dimension, entityId: entity.id, ...balance });
        result.processed += 1;
        result.laterRowsUpdated += this.followLaterMonths(month, dimension, entity.id, balance.remainingBalance);
      } catch {
        result.errors += 1;
      }
    }
    return result;
  }

  /** The entity's closed months after `month`, as long as they follow one another, open with the month before. */
  private followLaterMonths(month: string, dimension: ClosingDimension, entityId: string, remaining: string): number {
    let updated = 0;
    let previousRemaining = remaining;
    for (let later = addMonths(month, 1); ; later = addMonths(later, 1)) {
      const row = this.rows.get(key(later, dimension, entityId));
      if (!row) return updated;
      const remainingBalance = nextRemainingBalance(previousRemaining, { balance: row.netBalance, totalCollected: row.totalCollected, totalPaid: row.totalPaid });
      if (row.openingBalance !== formatMoney(previousRemaining)) updated += 1;
      Object.assign(row, { openingBalance: formatMoney(previousRemaining), remainingBalance });
      previousRemaining = remainingBalance;
    }
  }

  insertTicket(input: GivenClosingTicket): string {
    const id = this.data.nextId('ticket');
    this.tickets.push({
      ...input,
      status: input.status ?? 'ACTIVE',
      totalAmount: formatMoney(input.totalAmount),
      totalPayout: formatMoney(input.totalPayout ?? '0'),
      commissionAmount: formatMoney(input.commissionAmount ?? '0'),
      listeroCommissionAmount: formatMoney(input.listeroCommissionAmount ?? '0'),
    });
    return id;
  }
}

const key = (month: string, dimension: ClosingDimension, entityId: string) => `${month}|${dimension}|${entityId}`;

/** A fresh in-memory store with the closing port and fixtures, for the contract and unit tests. */
export async function inMemoryMonthlyClosingHarness(): Promise<MonthlyClosingContractHarness> {
  const data = new InMemoryBancaData();
  const closingRepository = new InMemoryMonthlyClosingRepository(data);
  return {
    closingRepository,
    givenBanca: (input) => data.givenBanca(input),
    givenVentana: (input) => data.givenVentana(input),
    givenVendedor: (input) => data.givenVendedor(input),
    givenMovement: (input) => data.givenMovement(input),
    reverseMovement: (id) => data.reverseMovement(id),
    givenTicket: async (input) => closingRepository.insertTicket(input),
    closingRows: async (month) => [...closingRepository.rows.values()].filter((row) => row.month === month).map((row) => ({ ...row })),
    close: async () => undefined,
  };
}
