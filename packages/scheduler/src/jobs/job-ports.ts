import type {
  ActiveOperations,
  ActivityLogRepository,
  AllowanceQueue,
  AllowanceScheduleRepository,
  Clock,
  CronRunRepository,
  DatabaseWarmup,
  ErrorClassifier,
  JobLock,
  Logger,
  LoteriaRepository,
  MonthlyClosingRepository,
  SettlementConfigRepository,
  SorteoRepository,
  StatementRepository,
} from '@banca/domain';

/** What running the jobs of design §2 needs, whatever backends the composition root chose. */
export interface JobPorts {
  clock: Clock;
  logger: Logger;
  warmup: DatabaseWarmup;
  jobLock: JobLock;
  cronRuns: CronRunRepository;
  classifyError: ErrorClassifier;
  activeOperations: ActiveOperations;
  loterias: LoteriaRepository;
  sorteos: SorteoRepository;
  settlementConfig: SettlementConfigRepository;
  statements: StatementRepository;
  closing: MonthlyClosingRepository;
  activityLogs: ActivityLogRepository;
  allowanceSchedules: Pick<AllowanceScheduleRepository, 'claimDueRuns' | 'markPublished' | 'releaseLeases'>;
  allowanceQueue: AllowanceQueue;
}

/** Job settings taken from the configuration. */
export interface JobSettings {
  activityLogRetentionDays: number;
  allowance: { leaseMs: number; missedRuns: 'all' | 'latest' };
}
