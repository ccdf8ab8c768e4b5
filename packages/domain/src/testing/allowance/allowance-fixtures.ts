import { allowanceOccurrence, type AllowanceFrequency, type AllowanceStatus } from '../../allowance/allowance-occurrences';
import type { AllowanceSchedule } from '../../allowance/allowance-schedule';
import type { AllowanceCreditRequest } from '../../allowance/allowance.ports';
import type { AllowanceHarness } from './allowance-harness';

/** 08:00 in Costa Rica on a 31st, so monthly runs exercise the clamping. */
export const CONTRACT_ANCHOR = new Date('2025-01-31T14:00:00.000Z');

export const minutesAfter = (instant: Date, minutes: number): Date => new Date(instant.getTime() + minutes * 60_000);

export interface GivenSchedule {
  guardianId: string;
  juniorId: string;
  schedule: AllowanceSchedule;
}

/** A guardian with a balance, one junior, and a schedule for that junior (stored through the port). */
export async function givenSchedule(
  harness: AllowanceHarness,
  options: { balance?: string; amount?: string; frequency?: AllowanceFrequency; status?: AllowanceStatus; anchorAt?: Date; guardianId?: string } = {},
): Promise<GivenSchedule> {
  const guardianId = options.guardianId ?? (await harness.givenGuardian({ balance: options.balance ?? '100.00' }));
  const juniorId = await harness.givenJunior({ guardianId });
  const anchorAt = options.anchorAt ?? CONTRACT_ANCHOR;
  const schedule = await harness.schedules.create({
    guardianId,
    juniorId,
    amount: options.amount ?? '10.00',
    frequency: options.frequency ?? 'DAILY',
    status: options.status ?? 'ON',
    anchorAt,
    nextRunAt: anchorAt,
    createdAt: minutesAfter(anchorAt, -60),
  });
  return { guardianId, juniorId, schedule };
}

/** The ledger request for occurrence `k` of a schedule, as the credit use case builds it. */
export function creditRequest(schedule: AllowanceSchedule, k: number): AllowanceCreditRequest {
  const runAt = allowanceOccurrence(schedule.anchorAt, schedule.frequency, k);
  return {
    scheduleId: schedule.id,
    runAt,
    amount: schedule.amount,
    guardianId: schedule.guardianId,
    juniorId: schedule.juniorId,
    frequency: schedule.frequency,
    anchorAt: schedule.anchorAt,
    nextRunAt: allowanceOccurrence(schedule.anchorAt, schedule.frequency, k + 1),
    creditedAt: minutesAfter(runAt, 1),
  };
}
