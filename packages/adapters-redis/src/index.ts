export { RedisJobLock } from './redis-job-lock';
