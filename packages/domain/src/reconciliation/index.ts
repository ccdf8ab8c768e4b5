export { CLOSING_TOTAL_FIELDS, DISCREPANCY_KINDS } from './reconciliation.ports';
export type {
  ClosingTotalField,
  Discrepancy,
  DiscrepancyKind,
  ReconciliationFindings,
  ReconciliationQuery,
  ReconciliationRepository,
} from './reconciliation.ports';
export { DEFAULT_RECONCILIATION_LIMIT, MAX_RECONCILIATION_LIMIT, reconcileMonth } from './reconcile-month.use-case';
export type { ReconcileMonthOptions, ReconciliationReport } from './reconcile-month.use-case';
