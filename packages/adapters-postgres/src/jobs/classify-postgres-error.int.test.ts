import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import type { Knex } from 'knex';
import { DatabaseError } from 'pg';
import { ERROR_TYPES } from '@banca/domain/ports';
import { serviceUrl, uniqueSuffix, usePostgresSchema } from '@banca/test-support';
import { createPostgresKnex } from '../knex-connection';
import { classifyPostgresError } from './classify-postgres-error';

/** Runs `work` and returns what it threw; fails the test when it throws nothing. */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail');
}

async function withKnex<T>(options: Parameters<typeof createPostgresKnex>[0], use: (db: Knex) => Promise<T>): Promise<T> {
  const db = createPostgresKnex(options);
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

const selectOneAt = (connectionString: string) =>
  failureOf(() => withKnex({ connectionString, acquireTimeoutMs: 10_000 }, (db) => db.raw('SELECT 1')));

describe('classifyPostgresError on real failures', () => {
  const schema = usePostgresSchema('classify');
  let observer: Knex;

  before(() => {
    observer = createPostgresKnex(schema.current.connection);
  });
  after(() => observer.destroy());

  it('DB_UNREACHABLE: a refused port', async () => {
    const classified = classifyPostgresError(await selectOneAt('postgres://postgres@127.0.0.1:1/x'));
    expect(classified).to.include({ errorType: 'DB_UNREACHABLE', errorCode: 'ECONNREFUSED' });
    expect(classified.message).to.include('ECONNREFUSED');
  });

  it('DB_UNREACHABLE: an unknown host name', async () => {
    const classified = classifyPostgresError(await selectOneAt('postgres://postgres@no-such-host.invalid:5432/x'));
    expect(classified.errorType).to.equal('DB_UNREACHABLE');
    expect(classified.errorCode).to.be.oneOf(['ENOTFOUND', 'EAI_AGAIN']);
  });

  it('DB_UNREACHABLE: a server that drops the connection (Connection terminated unexpectedly)', async () => {
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const classified = classifyPostgresError(await selectOneAt(`postgres://postgres@127.0.0.1:${port}/x`));
      expect(classified).to.include({ errorType: 'DB_UNREACHABLE', errorCode: null });
      expect(classified.message).to.match(/Connection terminated unexpectedly/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('DB_UNREACHABLE: a session terminated by the administrator (57P01)', async () => {
    const applicationName = `victim_${uniqueSuffix()}`;
    const error = await withKnex({ ...schema.current.connection, applicationName }, async (victim) => {
      const sleeping = failureOf(() => victim.raw('SELECT pg_sleep(30)'));
      await waitFor(async () => {
        const { rows } = await observer.raw(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = ? AND query LIKE '%pg_sleep%'`,
          [applicationName],
        );
        return rows.length > 0;
      });
      return sleeping;
    });
    expect(classifyPostgresError(error)).to.include({ errorType: 'DB_UNREACHABLE', errorCode: '57P01' });
  });

  it('DB_UNREACHABLE: too many connections (53300), here a role with CONNECTION LIMIT 1', async () => {
    const role = `banca_limited_${uniqueSuffix()}`;
    await observer.raw(`CREATE ROLE "${role}" LOGIN PASSWORD 'limited' CONNECTION LIMIT 1`);
    try {
      const url = new URL(await serviceUrl('postgres'));
      url.username = role;
      url.password = 'limited';
      const error = await withKnex({ connectionString: url.toString() }, async (first) => {
        const held = await first.client.acquireConnection();
        try {
          return await failureOf(() => withKnex({ connectionString: url.toString() }, (second) => second.raw('SELECT 1')));
        } finally {
          await first.client.releaseConnection(held);
        }
      });
      const classified = classifyPostgresError(error);
      expect(classified).to.include({ errorType: 'DB_UNREACHABLE', errorCode: '53300' });
      expect(classified.message).to.match(/too many connections/);
    } finally {
      await observer.raw(`SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = ?`, [role]);
      await observer.raw(`DROP ROLE IF EXISTS "${role}"`);
    }
  });

  it('QUERY_TIMEOUT: statement_timeout (57014)', async () => {
    const error = await withKnex({ ...schema.current.connection, statementTimeoutMs: 50 }, (db) => failureOf(() => db.raw('SELECT pg_sleep(2)')));
    const classified = classifyPostgresError(error);
    expect(classified).to.include({ errorType: 'QUERY_TIMEOUT', errorCode: '57014' });
    expect(classified.message).to.include('canceling statement due to statement timeout');
  });

  it("QUERY_TIMEOUT: knex's own query timeout", async () => {
    const error = await failureOf(() => observer.raw('SELECT pg_sleep(2)').timeout(50, { cancel: true }));
    expect(classifyPostgresError(error).errorType).to.equal('QUERY_TIMEOUT');
  });

  it('POOLER_TIMEOUT: no pooled connection within the acquire timeout', async () => {
    const error = await withKnex({ ...schema.current.connection, pool: { max: 1 }, acquireTimeoutMs: 100 }, async (db) => {
      const held = await db.client.acquireConnection();
      try {
        return await failureOf(() => db.raw('SELECT 1'));
      } finally {
        await db.client.releaseConnection(held);
      }
    });
    const classified = classifyPostgresError(error);
    expect(classified).to.include({ errorType: 'POOLER_TIMEOUT', errorCode: null });
    expect(classified.message).to.match(/^Knex: Timeout acquiring a connection/);
  });

  it('UNKNOWN_ERROR: anything else, with its SQLSTATE', async () => {
    const error = await failureOf(() => observer.raw('SELEKT 1'));
    expect(classifyPostgresError(error)).to.include({ errorType: 'UNKNOWN_ERROR', errorCode: '42601' });
  });
});

describe('classifyPostgresError on errors no local service produces', () => {
  const serverError = (message: string, code: string) => Object.assign(new DatabaseError(message, message.length, 'error'), { code });

  it("POOLER_WAIT_TIMEOUT: PgBouncer's query_wait_timeout (08P01)", () => {
    expect(classifyPostgresError(serverError('query_wait_timeout', '08P01'))).to.deep.equal({
      errorType: 'POOLER_WAIT_TIMEOUT',
      errorCode: '08P01',
      message: 'query_wait_timeout',
    });
  });

  it('DB_UNREACHABLE: any other connection exception (class 08)', () => {
    expect(classifyPostgresError(serverError('connection failure', '08006')).errorType).to.equal('DB_UNREACHABLE');
  });

  it('looks into the attempts of an AggregateError (one per address of a host)', () => {
    const attempt = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyPostgresError(new AggregateError([attempt], ''))).to.deep.equal({
      errorType: 'DB_UNREACHABLE',
      errorCode: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED ::1:5432',
    });
  });

  it('gives UNKNOWN_ERROR for what is not an error at all', () => {
    expect(classifyPostgresError('boom')).to.deep.equal({ errorType: 'UNKNOWN_ERROR', errorCode: null, message: 'boom' });
    expect(ERROR_TYPES).to.include(classifyPostgresError(undefined).errorType);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
