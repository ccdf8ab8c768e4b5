import { autoOpenSorteos } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const sorteosAutoOpenJob = defineJob({
  name: 'sorteos.auto-open',
  lockTtlMs: 10 * MINUTE,
  run: ({ ports: { sorteos }, clock }) => autoOpenSorteos({ sorteos, clock }),
  processedCount: (summary) => summary.openedCount,
});
