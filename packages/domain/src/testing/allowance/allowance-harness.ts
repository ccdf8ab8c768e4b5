import type { AllowanceSchedule } from '../../allowance/allowance-schedule';
import type { AllowanceLedger, AllowanceScheduleRepository } from '../../allowance/allowance.ports';
import { type AllowanceCreditRecord, type AllowanceTransactionRecord, InMemoryAllowance } from './in-memory-allowance';

/**
 * What an adapter hands to `allowancePortsContract`: its ports over a fresh, isolated store, plus
 * technology-neutral fixtures and readers. Ids are strings; amounts decimal strings.
 */
export interface AllowanceHarness {
  schedules: AllowanceScheduleRepository;
  ledger: AllowanceLedger;
  /** A guardian with an account holding `balance`. */
  givenGuardian(input: { balance: string }): Promise<string>;
  /** A junior of that guardian, with an account holding `balance` (default "0.00"). */
  givenJunior(input: { guardianId: string; balance?: string }): Promise<string>;
  balanceOf(accountOwnerId: string): Promise<string>;
  credits(): Promise<AllowanceCreditRecord[]>;
  /** The money transfers written by the ledger. */
  transactions(): Promise<AllowanceTransactionRecord[]>;
  schedule(id: string): Promise<AllowanceSchedule | null>;
  close(): Promise<void>;
}

/** The in-memory reference implementation as a harness. */
export function inMemoryAllowanceHarness(store = new InMemoryAllowance()): AllowanceHarness & { store: InMemoryAllowance } {
  return {
    store,
    schedules: store.schedules,
    ledger: store.ledger,
    givenGuardian: async (input) => store.givenGuardian(input),
    givenJunior: async (input) => store.givenJunior(input),
    balanceOf: async (ownerId) => store.balanceOf(ownerId),
    credits: async () => store.credits(),
    transactions: async () => store.transactions(),
    schedule: async (id) => store.schedule(id),
    close: async () => undefined,
  };
}
