export { createMigratedPglite, createMigratedSchema, useReusedPglite } from './migrated-database';
export type { MigratedDatabase } from './migrated-database';
export { insertScaleSorteos } from '../seed/scale-hierarchy';
export type { ScaleShape } from '../seed/scale-hierarchy';
export { insertScaleTickets } from '../seed/scale-rows';
export type { DeadLetterRow } from '../dead-letters/dead-letter.row';
