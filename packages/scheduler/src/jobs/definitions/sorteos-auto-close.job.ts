import { autoCloseSorteos } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const sorteosAutoCloseJob = defineJob({
  name: 'sorteos.auto-close',
  lockTtlMs: 10 * MINUTE,
  run: ({ ports: { sorteos }, clock }) => autoCloseSorteos({ sorteos, clock }),
  processedCount: (summary) => summary.closedCount,
});
