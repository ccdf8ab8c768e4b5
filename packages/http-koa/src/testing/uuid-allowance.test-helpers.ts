import { randomUUID } from 'node:crypto';
import { type AllowanceSchedule, type AllowanceScheduleRecord, DomainError } from '@banca/domain';
import type { AllowanceLedger, AllowanceScheduleRepository } from '@banca/domain/ports';
import { InMemoryAllowance } from '@banca/domain/testing';

/**
 * The in-memory reference ports with the UUID ids PostgreSQL gives (the reference implementation
 * numbers its ids `sch-000001`, which the API's UUID path check refuses). Ids are translated both
 * ways; a UUID never handed out finds nothing, as in a database.
 */
export function uuidAllowanceStore() {
  const store = new InMemoryAllowance();
  const publicId = new Map<string, string>();
  const internalId = new Map<string, string>();
  const out = (id: string): string => {
    let uuid = publicId.get(id);
    if (uuid === undefined) {
      uuid = randomUUID();
      publicId.set(id, uuid);
      internalId.set(uuid, id);
    }
    return uuid;
  };
  const into = (uuid: string): string => internalId.get(uuid) ?? `unknown:${uuid}`;
  const outSchedule = (schedule: AllowanceSchedule): AllowanceSchedule => ({
    ...schedule,
    id: out(schedule.id),
    guardianId: out(schedule.guardianId),
    juniorId: out(schedule.juniorId),
  });
  const outMaybe = (schedule: AllowanceSchedule | null): AllowanceSchedule | null => (schedule === null ? null : outSchedule(schedule));
  const outRecord = (record: AllowanceScheduleRecord): AllowanceScheduleRecord => ({ ...record, ...outSchedule(record) });
  const guardians: string[] = [];

  const schedules: AllowanceScheduleRepository = {
    // The store's errors name its own junior id; the caller's is given back.
    create: async (schedule) =>
      outSchedule(
        await store.schedules.create({ ...schedule, guardianId: into(schedule.guardianId), juniorId: into(schedule.juniorId) }).catch((error: unknown) => {
          throw error instanceof DomainError && error.details?.['juniorId'] !== undefined ? new DomainError(error.code, error.message, { ...error.details, juniorId: schedule.juniorId }) : error;
        }),
      ),
    findForGuardian: async (guardianId, id) => outMaybe(await store.schedules.findForGuardian(into(guardianId), into(id))),
    listForGuardian: async (guardianId) => (await store.schedules.listForGuardian(into(guardianId))).map(outSchedule),
    update: async (guardianId, id, changes) => outMaybe(await store.schedules.update(into(guardianId), into(id), changes)),
    delete: (guardianId, id) => store.schedules.delete(into(guardianId), into(id)),
    findById: async (id) => outMaybe(await store.schedules.findById(into(id))),
    claimDueRuns: async (query) =>
      (await store.schedules.claimDueRuns({ ...query, after: query.after && { ...query.after, id: into(query.after.id) } })).map(outSchedule),
    markPublished: (leaseUntil, published) => store.schedules.markPublished(leaseUntil, published.map((p) => ({ ...p, id: into(p.id) }))),
    releaseLeases: (leaseUntil, ids) => store.schedules.releaseLeases(leaseUntil, ids.map(into)),
    // In-memory ids are numbered in creation order, so UUID order is not theirs: the page is re-keyed on the UUIDs.
    findSchedules: async (query) => {
      const all = await store.schedules.findSchedules({
        ...(query.guardianId !== undefined ? { guardianId: into(query.guardianId) } : {}),
        ...(query.juniorId !== undefined ? { juniorId: into(query.juniorId) } : {}),
        after: null,
        limit: Number.MAX_SAFE_INTEGER,
      });
      const byCreation = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      const after = query.after;
      return all.map(outRecord).sort(byCreation).filter((s) => after === null || byCreation(s, after) > 0).slice(0, query.limit);
    },
    findRecordById: async (id) => {
      const record = await store.schedules.findRecordById(into(id));
      return record === null ? null : outRecord(record);
    },
    listCredits: async (query) => (await store.schedules.listCredits({ ...query, scheduleId: into(query.scheduleId) })).map((credit) => ({ ...credit, scheduleId: out(credit.scheduleId) })),
  };

  return {
    schedules,
    givenGuardian(): string {
      const id = out(store.givenGuardian({ balance: '1000.00' }));
      guardians.push(id);
      return id;
    },
    givenJunior(guardianId: string): string {
      return out(store.givenJunior({ guardianId: into(guardianId) }));
    },
    /** The ledger over the same store, to credit runs and record failures as the worker does. */
    ledger: {
      creditRun: (request) => store.ledger.creditRun({ ...request, scheduleId: into(request.scheduleId), guardianId: into(request.guardianId), juniorId: into(request.juniorId) }),
      recordRunFailure: (failure) => store.ledger.recordRunFailure({ ...failure, scheduleId: into(failure.scheduleId) }),
    } satisfies AllowanceLedger,
    /** Every schedule of every guardian, to prove a refused request wrote nothing. */
    async snapshot(): Promise<AllowanceSchedule[]> {
      return (await Promise.all(guardians.map((guardianId) => schedules.listForGuardian(guardianId)))).flat();
    },
  };
}

export type UuidAllowanceStore = ReturnType<typeof uuidAllowanceStore>;
