import type { SettlementConfig } from './settlement-config';
import { validateSettlementConfigUpdate } from './settlement-config';
import type { SettlementConfigRepository } from './settlement.ports';

/**
 * Saves a settlement configuration change after validating it, so an invalid cron rule or size
 * never reaches storage and the scheduler keeps its last valid schedule.
 */
export async function updateSettlementConfig(deps: { config: SettlementConfigRepository }, patch: unknown, updatedBy: string | null = null): Promise<SettlementConfig> {
  const valid = validateSettlementConfigUpdate(patch);
  return Object.keys(valid).length === 0 ? deps.config.get() : deps.config.update(valid, updatedBy);
}
