/** The long-running processes, plus `cli` for one-off commands (jobs run, dlq replay, seed, reconcile). */
export type ProcessKind = 'all-in-one' | 'api' | 'scheduler' | 'worker' | 'cli';
