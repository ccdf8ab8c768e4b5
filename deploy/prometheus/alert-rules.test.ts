import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { SETTLEMENT_PENDING_COUNT_LIMIT } from '@banca/domain';

const HERE = __dirname;
const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';

function promtool(...args: string[]) {
  const result = spawnSync(PROMTOOL, args, { cwd: HERE, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${PROMTOOL} is not installed: install Debian's prometheus package (apt-get install prometheus) or set PROMTOOL to its path`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Prometheus alert rules (deploy/prometheus/alerts.yml)', () => {
  it('are valid rules', () => {
    const check = promtool('check', 'rules', 'alerts.yml');
    expect(check.status, check.output).to.equal(0);
    expect(check.output).to.include('SUCCESS: 4 rules found');
  });

  it('fire and stay quiet as their promtool unit tests say (a missed slot, dead letters waiting, a growing settlement backlog, one at its count limit)', () => {
    const test = promtool('test', 'rules', 'alerts.test.yml');
    expect(test.status, test.output).to.equal(0);
    expect(test.output).to.include('SUCCESS');
  });

  it('only use metrics the service exposes', async () => {
    const { readFileSync } = await import('node:fs');
    const rules = readFileSync(join(HERE, 'alerts.yml'), 'utf8');
    const used = new Set([...rules.matchAll(/\b(banca_[a-z_]+)\b/g)].map((match) => match[1]!));
    const sources = ['run-history-metrics.ts', 'metrics.ts'].map((file) =>
      readFileSync(join(dirname(HERE), '..', 'packages', 'scheduler', 'src', 'composition', file), 'utf8'),
    );
    for (const name of used) expect(sources.some((source) => source.includes(`'${name}'`)), name).to.equal(true);
  });

  it('wait for a settlement backlog at the limit a settlement run counts to', async () => {
    const { readFileSync } = await import('node:fs');
    const rules = readFileSync(join(HERE, 'alerts.yml'), 'utf8');
    const threshold = /max\(banca_settlement_backlog_statements\) >= (\d+)/.exec(rules);
    expect(Number(threshold?.[1])).to.equal(SETTLEMENT_PENDING_COUNT_LIMIT);
    expect(rules).to.include(`at least ${SETTLEMENT_PENDING_COUNT_LIMIT.toLocaleString('en-US')} days were pending`);
  });
});
