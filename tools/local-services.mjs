// Where integration tests and the faults suite find the real services: each from its TEST_*_URL; where
// one is unset and the service listens on its standard local port, that one; otherwise the harness
// falls back to Testcontainers (docs/architecture.md, Tests).
import { createConnection } from 'node:net';

const LOCAL_SERVICES = [
  ['TEST_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test', 5432],
  ['TEST_RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672', 5672],
  ['TEST_REDIS_URL', 'redis://127.0.0.1:6379', 6379],
];

function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 1000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

/** The TEST_*_URL variables to add to the environment of a test run, saying what it chose. */
export async function localServiceEnv() {
  const env = {};
  for (const [name, url, port] of LOCAL_SERVICES) {
    if (process.env[name]) continue;
    if (await listening(port)) {
      env[name] = url;
      console.log(`${name} unset: using the local service at ${url}`);
    } else {
      console.log(`${name} unset and nothing on port ${port}: Testcontainers will be tried`);
    }
  }
  return env;
}
