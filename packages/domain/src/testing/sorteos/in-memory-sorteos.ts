import type { DrawOccurrence } from '../../sorteos/draw-schedule';
import { canTransition, isSoldTicketStatus, type SorteoStatus } from '../../sorteos/sorteo-lifecycle';
import type { CreateManyResult, LoteriaForAutoCreate, LoteriaRepository, SorteoRepository } from '../../sorteos/sorteos.ports';
import type { SorteoRow, SorteosContractHarness } from './sorteos-contract.harness';

export interface StoredLoteria {
  id: string;
  name: string;
  isActive: boolean;
  autoOpenEnabled: boolean;
  autoCreateEnabled: boolean;
  rulesJson: unknown;
}

/** A stored sorteo has exactly the fields the contract reads back. */
export type StoredSorteo = SorteoRow;

export interface StoredTicket {
  id: string;
  sorteoId: string;
  status: string;
}

/** The rows an in-memory run works on; tests may read or seed them directly. */
export class InMemorySorteosStore {
  readonly loterias: StoredLoteria[] = [];
  readonly sorteos: StoredSorteo[] = [];
  readonly tickets: StoredTicket[] = [];
  private lastId = 0;

  /** Defaults: active, both auto flags on, empty rules. */
  addLoteria(input: Partial<Omit<StoredLoteria, 'id'>> & { name: string }): string {
    const id = this.nextId();
    this.loterias.push({
      id,
      name: input.name,
      isActive: input.isActive ?? true,
      autoOpenEnabled: input.autoOpenEnabled ?? true,
      autoCreateEnabled: input.autoCreateEnabled ?? true,
      rulesJson: structuredClone(input.rulesJson ?? {}),
    });
    return id;
  }

  /** Defaults: active, SCHEDULED. Refuses a second sorteo of a lottery at one instant, as storage does. */
  addSorteo(input: Partial<Omit<StoredSorteo, 'id'>> & { loteriaId: string; scheduledAt: Date }): string {
    if (this.findSorteo(input.loteriaId, input.scheduledAt)) {
      throw new Error(`a sorteo of loteria ${input.loteriaId} at ${input.scheduledAt.toISOString()} exists already`);
    }
    const id = this.nextId();
    this.sorteos.push({
      id,
      loteriaId: input.loteriaId,
      name: input.name ?? `sorteo ${id}`,
      scheduledAt: new Date(input.scheduledAt.getTime()),
      status: input.status ?? 'SCHEDULED',
      isActive: input.isActive ?? true,
    });
    return id;
  }

  addTicket(input: { sorteoId: string; status: string }): string {
    const id = this.nextId();
    this.tickets.push({ ...input, id });
    return id;
  }

  findSorteo(loteriaId: string, scheduledAt: Date): StoredSorteo | undefined {
    return this.sorteos.find((s) => s.loteriaId === loteriaId && s.scheduledAt.getTime() === scheduledAt.getTime());
  }

  loteria(id: string): StoredLoteria | undefined {
    return this.loterias.find((l) => l.id === id);
  }

  private nextId(): string {
    this.lastId += 1;
    return String(this.lastId);
  }
}

export class InMemoryLoteriaRepository implements LoteriaRepository {
  constructor(private readonly store: InMemorySorteosStore) {}

  async listForAutoCreate(): Promise<LoteriaForAutoCreate[]> {
    return this.store.loterias
      .filter((l) => l.isActive && l.autoCreateEnabled)
      .map(({ id, name, rulesJson }) => ({ id, name, rulesJson: structuredClone(rulesJson) }));
  }
}

/** The reference semantics of SorteoRepository: every status change goes through canTransition. */
export class InMemorySorteoRepository implements SorteoRepository {
  constructor(private readonly store: InMemorySorteosStore) {}

  async createMany(occurrences: readonly DrawOccurrence[]): Promise<CreateManyResult> {
    let createdCount = 0;
    for (const { loteriaId, name, scheduledAt } of occurrences) {
      if (this.store.findSorteo(loteriaId, scheduledAt)) continue;
      if (!this.store.loteria(loteriaId)) throw new Error(`no loteria ${loteriaId}`);
      this.store.addSorteo({ loteriaId, name, scheduledAt, status: 'SCHEDULED', isActive: true });
      createdCount += 1;
    }
    return { createdCount, skippedCount: occurrences.length - createdCount };
  }

  async openScheduledBetween(range: { start: Date; end: Date }): Promise<number> {
    return this.transitionWhere('OPEN', (sorteo, loteria) =>
      sorteo.status === 'SCHEDULED' &&
      loteria.autoOpenEnabled &&
      sorteo.scheduledAt >= range.start &&
      sorteo.scheduledAt < range.end,
    );
  }

  async closeUnsoldOpenUpTo(now: Date): Promise<number> {
    return this.transitionWhere('CLOSED', (sorteo) =>
      sorteo.status === 'OPEN' &&
      sorteo.scheduledAt <= now &&
      !this.store.tickets.some((t) => t.sorteoId === sorteo.id && isSoldTicketStatus(t.status)),
    );
  }

  /** Active sorteos of active lotteries matching `where` move to `to`; returns how many moved. */
  private transitionWhere(to: SorteoStatus, where: (sorteo: StoredSorteo, loteria: StoredLoteria) => boolean): number {
    let count = 0;
    for (const sorteo of this.store.sorteos) {
      const loteria = this.store.loteria(sorteo.loteriaId);
      if (!loteria?.isActive || !sorteo.isActive || !where(sorteo, loteria) || !canTransition(sorteo.status, to)) continue;
      sorteo.status = to;
      count += 1;
    }
    return count;
  }
}

export interface InMemorySorteos {
  store: InMemorySorteosStore;
  loterias: InMemoryLoteriaRepository;
  sorteos: InMemorySorteoRepository;
}

export function createInMemorySorteos(store = new InMemorySorteosStore()): InMemorySorteos {
  return { store, loterias: new InMemoryLoteriaRepository(store), sorteos: new InMemorySorteoRepository(store) };
}

/** The contract harness over a fresh in-memory store. */
export async function inMemorySorteosHarness(): Promise<SorteosContractHarness> {
  const { store, loterias, sorteos } = createInMemorySorteos();
  return {
    loterias,
    sorteos,
    givenLoteria: async (input) => store.addLoteria(input),
    givenSorteo: async (input) => store.addSorteo(input),
    givenTicket: async (input) => store.addTicket(input),
    listSorteos: async () => store.sorteos.map((s) => ({ ...s, scheduledAt: new Date(s.scheduledAt.getTime()) })),
    close: async () => undefined,
  };
}
