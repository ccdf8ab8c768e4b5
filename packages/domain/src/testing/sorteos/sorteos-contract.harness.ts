import type { SorteoStatus } from '../../sorteos/sorteo-lifecycle';
import type { LoteriaRepository, SorteoRepository } from '../../sorteos/sorteos.ports';

/** Defaults an adapter's fixture writer must apply: active, both auto flags on, rules `{}`. */
export interface GivenLoteria {
  name: string;
  isActive?: boolean;
  autoOpenEnabled?: boolean;
  autoCreateEnabled?: boolean;
  rulesJson?: unknown;
}

/** Defaults: active, SCHEDULED, any name. */
export interface GivenSorteo {
  loteriaId: string;
  scheduledAt: Date;
  name?: string;
  status?: SorteoStatus;
  isActive?: boolean;
}

/** A ticket of a sorteo; the harness fills in whatever else its storage needs (seller, outlet, amounts). */
export interface GivenTicket {
  sorteoId: string;
  status: string;
}

export interface SorteoRow {
  id: string;
  loteriaId: string;
  name: string;
  scheduledAt: Date;
  status: SorteoStatus;
  isActive: boolean;
}

/**
 * What an adapter hands the sorteo ports contract: its ports over an empty, isolated store, plus
 * technology-neutral fixture writers and a reader. Ids are strings (a uuid or a bigint as text).
 */
export interface SorteosContractHarness {
  loterias: LoteriaRepository;
  sorteos: SorteoRepository;
  givenLoteria(input: GivenLoteria): Promise<string>;
  givenSorteo(input: GivenSorteo): Promise<string>;
  givenTicket(input: GivenTicket): Promise<string>;
  /** Every stored sorteo, in any order. */
  listSorteos(): Promise<SorteoRow[]>;
  /** Releases what the harness opened (connections, schemas). */
  close(): Promise<void>;
}
