import type { Knex } from 'knex';
import { crLocalToInstant, Money } from '@banca/domain';

export type Dimension = 'vendedor' | 'ventana' | 'banca';

export interface Entity {
  dimension: Dimension;
  id: string;
  bancaId: string;
  ventanaId: string | null;
  vendedorId: string | null;
  name: string;
}

export interface TicketFixture {
  vendedor: Entity;
  businessDate: string;
  status: 'ACTIVE' | 'EVALUATED' | 'PAID' | 'CANCELLED' | 'EXCLUDED';
  amount: Money;
  payout: Money;
  commission: Money;
  listeroCommission: Money;
}

export interface MovementFixture {
  entity: Entity;
  date: string;
  type: 'payment' | 'collection';
  amount: Money;
  isReversed: boolean;
}

export interface StatementTotals {
  ticketCount: number;
  totalSales: Money;
  totalPayouts: Money;
  totalCommissions: Money;
  balance: Money;
  totalPaid: Money;
  totalCollected: Money;
}

const NOT_SOLD = new Set(['CANCELLED', 'EXCLUDED']);

export interface LoteriaFixture {
  name: string;
  rulesJson: unknown;
  autoCreateEnabled?: boolean;
  autoOpenEnabled?: boolean;
  isActive?: boolean;
}

/** Lotteries as operators configure them (docs/architecture.md, The banca rules), written to the real table. */
export async function givenLoteria(knex: Knex, input: LoteriaFixture): Promise<string> {
  const [row] = await knex('loterias')
    .insert({
      name: input.name,
      is_active: input.isActive ?? true,
      auto_open_enabled: input.autoOpenEnabled ?? true,
      auto_create_enabled: input.autoCreateEnabled ?? true,
      rules_json: JSON.stringify(input.rulesJson),
    })
    .returning('id');
  return (row as { id: string }).id;
}

/**
 * The banca's books as the sales system keeps them: the hierarchy, tickets on sorteos, cash
 * movements and the daily statements written from them. Every row it writes is also kept here, so
 * a test computes what the jobs should produce on its own, with exact Money arithmetic.
 */
export class BancaBook {
  readonly tickets: TicketFixture[] = [];
  readonly movements: MovementFixture[] = [];
  /** The statements the book wrote, by `dimension:id:date`. */
  readonly statements = new Map<string, { entity: Entity; date: string; written: StatementTotals }>();
  private readonly entities: Entity[] = [];
  private loteriaId: string | null = null;
  private readonly sorteoByDay = new Map<string, string>();
  private sequence = 0;

  constructor(private readonly knex: Knex) {}

  get all(): readonly Entity[] {
    return this.entities;
  }

  async banca(name: string, isActive = true): Promise<Entity> {
    const [row] = await this.knex('bancas').insert({ name, is_active: isActive }).returning('id');
    const id = (row as { id: string }).id;
    return this.keep({ dimension: 'banca', id, bancaId: id, ventanaId: null, vendedorId: null, name });
  }

  async ventana(banca: Entity, name: string, isActive = true): Promise<Entity> {
    const [row] = await this.knex('ventanas').insert({ name, banca_id: banca.bancaId, is_active: isActive }).returning('id');
    const id = (row as { id: string }).id;
    return this.keep({ dimension: 'ventana', id, bancaId: banca.bancaId, ventanaId: id, vendedorId: null, name });
  }

  async vendedor(ventana: Entity, name: string, isActive = true): Promise<Entity> {
    const [row] = await this.knex('vendedores').insert({ name, ventana_id: ventana.ventanaId, banca_id: ventana.bancaId, is_active: isActive }).returning('id');
    const id = (row as { id: string }).id;
    return this.keep({ dimension: 'vendedor', id, bancaId: ventana.bancaId, ventanaId: ventana.ventanaId, vendedorId: id, name });
  }

  /** A sale: the ticket on that day's draw (a sorteo already drawn). */
  async ticket(vendedor: Entity, businessDate: string, amounts: { amount: string; payout?: string; commission?: string; listero?: string; status?: TicketFixture['status'] }): Promise<void> {
    const ticket: TicketFixture = {
      vendedor,
      businessDate,
      status: amounts.status ?? 'EVALUATED',
      amount: Money.parse(amounts.amount),
      payout: Money.parse(amounts.payout ?? '0'),
      commission: Money.parse(amounts.commission ?? '0'),
      listeroCommission: Money.parse(amounts.listero ?? '0'),
    };
    await this.knex('tickets').insert({
      sorteo_id: await this.sorteoOf(businessDate),
      vendedor_id: vendedor.vendedorId,
      ventana_id: vendedor.ventanaId,
      banca_id: vendedor.bancaId,
      business_date: businessDate,
      status: ticket.status,
      total_amount: ticket.amount.toString(),
      total_payout: ticket.payout.toString(),
      commission_amount: ticket.commission.toString(),
      listero_commission_amount: ticket.listeroCommission.toString(),
    });
    this.tickets.push(ticket);
  }

  async movement(entity: Entity, date: string, type: 'payment' | 'collection', amount: string, isReversed = false): Promise<void> {
    const movement: MovementFixture = { entity, date, type, amount: Money.parse(amount), isReversed };
    await this.knex('account_movements').insert({
      vendedor_id: entity.vendedorId,
      ventana_id: entity.ventanaId,
      banca_id: entity.bancaId,
      date,
      type,
      amount: movement.amount.toString(),
      is_reversed: isReversed,
    });
    this.movements.push(movement);
  }

  /**
   * The day's statement of an entity, as the sales system writes it: ticket totals and the cash
   * known so far; the remaining balance is left for settlement to compute.
   */
  async statement(entity: Entity, date: string): Promise<void> {
    const totals = this.totals(entity, date);
    await this.knex('account_statements').insert({
      date,
      vendedor_id: entity.vendedorId,
      ventana_id: entity.ventanaId,
      banca_id: entity.bancaId,
      ticket_count: totals.ticketCount,
      total_sales: totals.totalSales.toString(),
      total_payouts: totals.totalPayouts.toString(),
      total_commissions: totals.totalCommissions.toString(),
      balance: totals.balance.toString(),
      total_paid: totals.totalPaid.toString(),
      total_collected: totals.totalCollected.toString(),
      remaining_balance: '0.00',
    });
    this.statements.set(statementKey(entity, date), { entity, date, written: totals });
  }

  /** The statement of an entity for a day from the book: its tickets (all under it) and its own non-reversed movements. */
  totals(entity: Entity, date: string): StatementTotals {
    const tickets = this.ticketsOf(entity).filter((t) => t.businessDate === date);
    const movements = this.movementsOf(entity).filter((m) => m.date === date);
    return totalsOf(entity, tickets, movements);
  }

  /** An entity's totals over `[firstDay, lastDay]`: what its monthly closing sums. */
  totalsBetween(entity: Entity, firstDay: string, lastDay: string): StatementTotals {
    const inRange = (day: string) => day >= firstDay && day <= lastDay;
    return totalsOf(
      entity,
      this.ticketsOf(entity).filter((t) => inRange(t.businessDate)),
      this.movementsOf(entity).filter((m) => inRange(m.date)),
    );
  }

  /** Sold tickets under an entity: a ventana's and a banca's are every ticket of their vendedores. */
  ticketsOf(entity: Entity): TicketFixture[] {
    const under = (t: TicketFixture) =>
      entity.dimension === 'vendedor' ? t.vendedor.id === entity.id : entity.dimension === 'ventana' ? t.vendedor.ventanaId === entity.id : t.vendedor.bancaId === entity.id;
    return this.tickets.filter((t) => under(t) && !NOT_SOLD.has(t.status));
  }

  /** A movement counts for the most specific entity set on it, never reversed ones. */
  movementsOf(entity: Entity): MovementFixture[] {
    return this.movements.filter((m) => !m.isReversed && m.entity.dimension === entity.dimension && m.entity.id === entity.id);
  }

  private keep(entity: Entity): Entity {
    this.entities.push(entity);
    return entity;
  }

  private async sorteoOf(day: string): Promise<string> {
    const known = this.sorteoByDay.get(day);
    if (known) return known;
    if (!this.loteriaId) {
      this.loteriaId = await givenLoteria(this.knex, { name: `Libro ${++this.sequence}`, rulesJson: {}, autoCreateEnabled: false, autoOpenEnabled: false });
    }
    const [row] = await this.knex('sorteos')
      .insert({ loteria_id: this.loteriaId, name: 'Libro 12:55', scheduled_at: crLocalToInstant(day, '12:55'), status: 'EVALUATED' })
      .returning('id');
    const id = (row as { id: string }).id;
    this.sorteoByDay.set(day, id);
    return id;
  }
}

export const statementKey = (entity: Pick<Entity, 'dimension' | 'id'>, date: string): string => `${entity.dimension}:${entity.id}:${date}`;

function totalsOf(entity: Entity, tickets: readonly TicketFixture[], movements: readonly MovementFixture[]): StatementTotals {
  const totalSales = Money.sum(tickets.map((t) => t.amount));
  const totalPayouts = Money.sum(tickets.map((t) => t.payout));
  const totalCommissions = Money.sum(tickets.map((t) => (entity.dimension === 'vendedor' ? t.commission : t.listeroCommission)));
  return {
    ticketCount: tickets.length,
    totalSales,
    totalPayouts,
    totalCommissions,
    balance: totalSales.minus(totalPayouts).minus(totalCommissions),
    totalPaid: Money.sum(movements.filter((m) => m.type === 'payment').map((m) => m.amount)),
    totalCollected: Money.sum(movements.filter((m) => m.type === 'collection').map((m) => m.amount)),
  };
}

/** Deterministic amounts with céntimos, so sums exercise exact decimals. */
export function amountFor(seed: number, min: number, spread: number): string {
  const cents = BigInt(min * 100 + ((seed * 7_919 + 104_729) % (spread * 100)));
  return Money.ofCents(cents).toString();
}
