import type { AccountDimension, AccountEntity, AccountIds } from '../../settlement/account-entity';
import { accountOwner, sameAccountEntity } from '../../settlement/account-entity';
import type { MovementLike } from '../../settlement/settlement.rules';

/**
 * Defaults an adapter's fixture writer must apply: active, a fresh id. A given `id` (a lowercase
 * uuid) lets a test give two stores the same ids, so both order entities alike.
 */
export interface GivenBanca {
  id?: string;
  /** Its name in the hierarchy; a fixture writer makes one up when none is given. */
  name?: string;
  isActive?: boolean;
}

export interface GivenVentana {
  id?: string;
  /** Its name in the hierarchy; a fixture writer makes one up when none is given. */
  name?: string;
  bancaId: string;
  isActive?: boolean;
}

export interface GivenVendedor {
  id?: string;
  /** Its name in the hierarchy; a fixture writer makes one up when none is given. */
  name?: string;
  ventanaId: string;
  bancaId: string;
  isActive?: boolean;
}

/**
 * An account movement. A vendedor's movement names its ventana and banca too (as stored), yet
 * counts for the vendedor only. Defaults: not reversed.
 */
export interface GivenMovement extends AccountIds {
  date: string;
  type: 'payment' | 'collection';
  amount: string;
  isReversed?: boolean;
}

/** Writers for the banca hierarchy and its money movements, shared by the settlement and closing harnesses. */
export interface BancaFixtures {
  givenBanca(input?: GivenBanca): Promise<string>;
  givenVentana(input: GivenVentana): Promise<string>;
  givenVendedor(input: GivenVendedor): Promise<string>;
  givenMovement(input: GivenMovement): Promise<string>;
  /** Marks a movement reversed, as the cash side does when it undoes one. */
  reverseMovement(id: string): Promise<void>;
}

interface EntityRecord extends AccountIds {
  readonly entity: AccountEntity;
  readonly name: string;
  readonly isActive: boolean;
}

interface MovementRecord extends MovementLike, AccountIds {
  readonly id: string;
  readonly date: string;
  isReversed: boolean;
}

/** In-memory hierarchy and movements: the shared tables behind the in-memory reference ports. */
export class InMemoryBancaData implements BancaFixtures {
  private readonly entities: EntityRecord[] = [];
  private readonly movements: MovementRecord[] = [];
  private sequence = 0;

  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${String(this.sequence).padStart(6, '0')}`;
  }

  async givenBanca(input: GivenBanca = {}): Promise<string> {
    const id = input.id ?? this.nextId('banca');
    this.entities.push({ entity: { dimension: 'banca', id }, name: input.name ?? `Banca ${id}`, bancaId: id, isActive: input.isActive ?? true });
    return id;
  }

  async givenVentana(input: GivenVentana): Promise<string> {
    const id = input.id ?? this.nextId('ventana');
    this.entities.push({ entity: { dimension: 'ventana', id }, name: input.name ?? `Ventana ${id}`, ventanaId: id, bancaId: input.bancaId, isActive: input.isActive ?? true });
    return id;
  }

  async givenVendedor(input: GivenVendedor): Promise<string> {
    const id = input.id ?? this.nextId('vendedor');
    this.entities.push({
      entity: { dimension: 'vendedor', id },
      name: input.name ?? `Vendedor ${id}`,
      vendedorId: id,
      ventanaId: input.ventanaId,
      bancaId: input.bancaId,
      isActive: input.isActive ?? true,
    });
    return id;
  }

  async givenMovement(input: GivenMovement): Promise<string> {
    const id = this.nextId('movement');
    this.movements.push({
      id,
      vendedorId: input.vendedorId ?? null,
      ventanaId: input.ventanaId ?? null,
      bancaId: input.bancaId,
      date: input.date,
      type: input.type,
      amount: input.amount,
      isReversed: input.isReversed ?? false,
    });
    return id;
  }

  async reverseMovement(id: string): Promise<void> {
    const movement = this.movements.find((m) => m.id === id);
    if (!movement) throw new Error(`movement ${id} does not exist`);
    movement.isReversed = true;
  }

  /** Active entities of a dimension (all dimensions when omitted), ordered by id, with their stored ids. */
  activeEntities(dimension?: AccountDimension): Array<{ entity: AccountEntity; ids: AccountIds }> {
    return this.entities
      .filter((e) => e.isActive && (dimension === undefined || e.entity.dimension === dimension))
      .sort((a, b) => compareIds(a.entity.id, b.entity.id))
      .map((e) => ({ entity: e.entity, ids: { vendedorId: e.vendedorId ?? null, ventanaId: e.ventanaId ?? null, bancaId: e.bancaId } }));
  }

  /** The name of the entity of that dimension, null when there is none. */
  nameOf(owner: AccountEntity): string | null {
    return this.entities.find((e) => sameAccountEntity(e.entity, owner))?.name ?? null;
  }

  /** The movements that count for `owner` (most specific id) with a date accepted by `onDate`. */
  movementsOf(owner: AccountEntity, onDate: (date: string) => boolean): MovementRecord[] {
    return this.movements.filter((m) => onDate(m.date) && sameAccountEntity(accountOwner(m), owner));
  }

  /** Every movement not reversed, with the entity it counts for. */
  liveMovements(): Array<MovementRecord & { owner: AccountEntity }> {
    return this.movements.filter((m) => !m.isReversed).map((m) => ({ ...m, owner: accountOwner(m) }));
  }
}

/** Code-unit order, which for lowercase uuids is also PostgreSQL's uuid order. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
