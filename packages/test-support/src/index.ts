export { serviceUrl, resolveServiceUrl, uniqueSuffix } from './service-urls';
export type { ServiceName } from './service-urls';
export { createTestSchema, dropTestSchema, usePostgresSchema } from './postgres';
export type { TestSchema } from './postgres';
export { createTestBroker, useTestBroker } from './rabbitmq';
export type { TestBroker } from './rabbitmq';
export { createTestRedis, useTestRedis } from './redis';
export type { TestRedis } from './redis';
export { useInMemoryTracing } from './tracing';
