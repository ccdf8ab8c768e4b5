import { randomUUID } from 'node:crypto';
import type { AllowanceSchedule } from '@banca/domain';
import type { AllowanceScheduleRepository, JuniorDirectory } from '@banca/domain/ports';
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
  const guardians: string[] = [];

  const schedules: AllowanceScheduleRepository = {
    create: async (schedule) => outSchedule(await store.schedules.create({ ...schedule, guardianId: into(schedule.guardianId), juniorId: into(schedule.juniorId) })),
    findForGuardian: async (guardianId, id) => outMaybe(await store.schedules.findForGuardian(into(guardianId), into(id))),
    listForGuardian: async (guardianId) => (await store.schedules.listForGuardian(into(guardianId))).map(outSchedule),
    update: async (guardianId, id, changes) => outMaybe(await store.schedules.update(into(guardianId), into(id), changes)),
    delete: (guardianId, id) => store.schedules.delete(into(guardianId), into(id)),
    findById: async (id) => outMaybe(await store.schedules.findById(into(id))),
    claimDueRuns: async (query) =>
      (await store.schedules.claimDueRuns({ ...query, after: query.after && { ...query.after, id: into(query.after.id) } })).map(outSchedule),
    markPublished: (leaseUntil, published) => store.schedules.markPublished(leaseUntil, published.map((p) => ({ ...p, id: into(p.id) }))),
    releaseLeases: (leaseUntil, ids) => store.schedules.releaseLeases(leaseUntil, ids.map(into)),
  };
  const juniors: JuniorDirectory = { juniorBelongsTo: (guardianId, juniorId) => store.juniors.juniorBelongsTo(into(guardianId), into(juniorId)) };

  return {
    schedules,
    juniors,
    givenGuardian(): string {
      const id = out(store.givenGuardian({ balance: '1000.00' }));
      guardians.push(id);
      return id;
    },
    givenJunior(guardianId: string): string {
      return out(store.givenJunior({ guardianId: into(guardianId) }));
    },
    /** Every schedule of every guardian, to prove a refused request wrote nothing. */
    async snapshot(): Promise<AllowanceSchedule[]> {
      return (await Promise.all(guardians.map((guardianId) => schedules.listForGuardian(guardianId)))).flat();
    },
  };
}

export type UuidAllowanceStore = ReturnType<typeof uuidAllowanceStore>;
