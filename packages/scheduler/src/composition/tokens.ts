/** The inversify service identifiers of the composition roots (explicit tokens: no decorator metadata). */
export const TOKENS = {
  Config: Symbol.for('banca.Config'),
  Logger: Symbol.for('banca.Logger'),
  Infrastructure: Symbol.for('banca.Infrastructure'),
  Metrics: Symbol.for('banca.Metrics'),
  AuthSecret: Symbol.for('banca.AuthSecret'),
  RunJob: Symbol.for('banca.RunJob'),
  JobScheduler: Symbol.for('banca.JobScheduler'),
  AllowanceWorker: Symbol.for('banca.AllowanceWorker'),
  HttpServer: Symbol.for('banca.HttpServer'),
} as const;
