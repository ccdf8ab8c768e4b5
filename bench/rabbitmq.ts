export const RABBITMQ_URL = process.env['BENCH_RABBITMQ_URL'] ?? process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
