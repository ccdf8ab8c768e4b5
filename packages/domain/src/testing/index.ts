export * from './jobs';
export * from './sorteos';
export * from './settlement';
export * from './closing';
export * from './cleanup';
export * from './allowance';
export * from './reconciliation';
