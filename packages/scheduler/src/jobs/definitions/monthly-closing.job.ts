import { closeMonth } from '@banca/domain/ports';
import { defineJob, MINUTE } from '../job-definition';

export const monthlyClosingJob = defineJob({
  name: 'monthly-closing',
  lockTtlMs: 120 * MINUTE,
  run: ({ ports: { closing }, clock, options }) =>
    closeMonth(
      { closing, clock },
      {
        ...(options.month === undefined ? {} : { month: options.month }),
        userId: options.userId ?? null,
        onProgress: (p) => options.onProgress?.({ done: p.success + p.errors, label: `${p.month} ${p.dimension}` }),
      },
    ),
  processedCount: (summary) => summary.totalSuccess,
});
