import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBearer } from '@banca/http-koa';
import { run } from '../main';

const SECRET = 'console-command-test-secret-of-32-chars!';

/** The claims of a token the service accepts (the signature is checked), with its life in seconds. */
function acceptedClaims(token: string) {
  const claims = verifyBearer(`Bearer ${token}`, { secret: SECRET, maxTokenTtlSeconds: 86_400 });
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iat: number; exp: number };
  return { ...claims, life: payload.exp - payload.iat };
}

/** Runs `banca …` in this process with `env`, returning the exit code and what it wrote. */
async function banca(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(chunk) > 0) as typeof process.stderr.write;
  Object.assign(process.env, env);
  try {
    const code = await run(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    for (const name of Object.keys(env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('banca console', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'banca-console-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a sign-in link whose fragment carries an admin token for fifteen minutes', async () => {
    const { code, stdout } = await banca(['console'], { AUTH_JWT_SECRET: SECRET, PORT: '3210', BANCA_DATA_DIR: dataDir });
    expect(code).to.equal(0);
    const match = /^http:\/\/localhost:3210\/console#token=(\S+)\n$/.exec(stdout);
    expect(match, stdout).to.not.equal(null);
    expect(acceptedClaims(match![1]!)).to.include({ sub: 'console', role: 'admin', life: 900 });
  });

  it('takes the service address, the subject and a shorter life', async () => {
    const { stdout } = await banca(['console', '--url', 'https://ops.example.cr/ignored/path', '--sub', 'ana', '--expires-in', '60'], { AUTH_JWT_SECRET: SECRET, BANCA_DATA_DIR: dataDir });
    const token = stdout.trim().split('#token=')[1]!;
    expect(stdout.startsWith('https://ops.example.cr/console#token=')).to.equal(true);
    expect(acceptedClaims(token)).to.include({ sub: 'ana', role: 'admin', life: 60 });
  });

  it('signs with the embedded default\'s development secret, as the service does', async () => {
    const { code, stdout } = await banca(['console'], { BANCA_DATA_DIR: dataDir, DATABASE_URL: '', AUTH_JWT_SECRET: '' });
    expect(code).to.equal(0);
    expect(stdout).to.match(/^http:\/\/localhost:3000\/console#token=/);
  });

  it('refuses a bad address or life with a usage error', async () => {
    expect((await banca(['console', '--url', 'ftp://x'], { AUTH_JWT_SECRET: SECRET, BANCA_DATA_DIR: dataDir })).code).to.equal(2);
    const longLife = await banca(['console', '--expires-in', '999999'], { AUTH_JWT_SECRET: SECRET, BANCA_DATA_DIR: dataDir });
    expect(longLife.code).to.equal(2);
    expect(longLife.stderr).to.contain('--expires-in must be whole seconds from 1 to 86400');
  });
});
