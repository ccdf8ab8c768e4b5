import { autoCreateSorteos } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const sorteosAutoCreateJob = defineJob({
  name: 'sorteos.auto-create',
  lockTtlMs: 10 * MINUTE,
  run: ({ ports: { loterias, sorteos, logger }, clock }) => autoCreateSorteos({ loterias, sorteos, clock, logger }),
  processedCount: (summary) => summary.createdCount,
});
