import type { operations } from './schema.gen';

type Ok<Name extends keyof operations> = operations[Name]['responses'] extends { 200: { content: { 'application/json': infer Body } } } ? Body : never;

export type JobView = Ok<'listJobs'>['jobs'][number];
export type JobName = JobView['name'];
export type RunView = Ok<'getRun'>;
export type RunQuery = NonNullable<operations['listRuns']['parameters']['query']>;
export type SettlementConfig = Ok<'getSettlementConfig'>;
export type DeadLetterView = Ok<'listDeadLetters'>['items'][number];
export type DeadLetterStatus = NonNullable<NonNullable<operations['listDeadLetters']['parameters']['query']>['status']>;
export type AllowanceScheduleView = Ok<'findAllowanceSchedules'>['items'][number];
export type AllowanceCreditView = Ok<'listAllowanceCredits'>['items'][number];
export type ClosingsPage = Ok<'listClosings'>;
export type ClosingRow = ClosingsPage['items'][number];
export type Dimension = ClosingsPage['dimension'];
export type ReconciliationReport = Ok<'reconcileMonth'>;
export type Discrepancy = ReconciliationReport['discrepancies'][number];
export type Readiness = Ok<'healthReady'>;
