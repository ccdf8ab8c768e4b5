// Running the jobs by hand
export { runJob } from './run-job';
export type { JobRunner } from './jobs/run-job';
export type { JobContext, JobDefinition, RunJobOptions } from './jobs/job-definition';
export { JOB_DEFINITIONS } from './jobs/job-catalog';
export type { JobPorts, JobSettings } from './jobs/job-ports';
export { JobScheduler } from './jobs/job-scheduler';
export type { JobSchedulerOptions } from './jobs/job-scheduler';

// Configuration and composition: each process kind is a list of modules over typed service ids
export { loadConfig, ConfigError } from './config/env.config';
export type { BancaConfig } from './config/env.config';
export { createProcessContainer, closeProcessContainer, PROCESS_MODULES } from './composition/process-container';
export type { ProcessKind } from './composition/process-kind';
export { ServiceIds } from './composition/service-ids';
export type { BackendChoice, ServiceId } from './composition/service-ids';
export { adminOperations } from './admin/admin-operations';
export { BancaMetrics } from './composition/metrics';
export type { AllowanceWorker } from './runtime/allowance-worker';
export type { HttpServer } from './runtime/http-server';
export { createStdoutLogger } from './logging/stdout-logger';

// Processes
export { startBancaProcess } from './runtime/banca-process';
export type { RunningProcess } from './runtime/banca-process';
export { main as runCli } from './cli/main';
