export { healthRoutes } from './routes/health.routes';
export type { ReadinessChecks } from './routes/health.routes';
