import { Client } from 'pg';
import { serviceUrl, uniqueSuffix } from './service-urls';

/** A PostgreSQL schema of one's own: tests in it never see another test's tables. */
export interface TestSchema {
  readonly connectionString: string;
  readonly schema: string;
  /** pg/knex connection settings that put this schema first on the search_path. */
  readonly connection: { connectionString: string; options: string };
}

/** Creates an empty schema; `dropTestSchema` removes it with everything in it. */
export async function createTestSchema(label = 'test'): Promise<TestSchema> {
  const connectionString = await serviceUrl('postgres');
  const schema = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 20)}_${uniqueSuffix()}`;
  await withClient(connectionString, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return { connectionString, schema, connection: { connectionString, options: `-c search_path="${schema}",public` } };
}

export async function dropTestSchema(test: TestSchema): Promise<void> {
  await withClient(test.connectionString, (client) => client.query(`DROP SCHEMA IF EXISTS "${test.schema}" CASCADE`));
}

/**
 * Registers mocha hooks in the calling `describe`: a fresh schema before its tests, dropped after.
 * Read `.current` inside hooks and tests.
 */
export function usePostgresSchema(label?: string): { readonly current: TestSchema } {
  let current: TestSchema | undefined;
  before(async () => {
    current = await createTestSchema(label);
  });
  after(async () => {
    if (current) await dropTestSchema(current);
  });
  return {
    get current(): TestSchema {
      if (!current) throw new Error('the test schema exists only inside hooks and tests of its describe');
      return current;
    },
  };
}

async function withClient<T>(connectionString: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
