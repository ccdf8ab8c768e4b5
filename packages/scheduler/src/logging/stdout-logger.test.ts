import { expect } from 'chai';
import { createStdoutLogger } from './stdout-logger';

describe('createStdoutLogger', () => {
  it('writes one JSON line per entry with level, time, layer, action and payload', () => {
    const lines: string[] = [];
    const logger = createStdoutLogger({ level: 'info', pretty: false, layer: 'job', write: (line) => lines.push(line) });
    logger.info('SETTLEMENT_COMPLETE', { settledCount: 3 });
    const entry = JSON.parse(lines[0]!);
    expect(entry).to.include({ level: 'info', layer: 'job', action: 'SETTLEMENT_COMPLETE' });
    expect(entry.payload).to.deep.equal({ settledCount: 3 });
    expect(Number.isNaN(Date.parse(entry.time))).to.equal(false);
  });

  it('drops entries under the configured level', () => {
    const lines: string[] = [];
    const logger = createStdoutLogger({ level: 'warn', pretty: false, write: (line) => lines.push(line) });
    logger.info('QUIET');
    logger.warn('LOUD');
    expect(lines.map((line) => JSON.parse(line).action)).to.deep.equal(['LOUD']);
  });

  it('writes a readable line when asked to be pretty', () => {
    const lines: string[] = [];
    createStdoutLogger({ level: 'info', pretty: true, layer: 'http', write: (line) => lines.push(line) }).warn('JOB_SKIP', { job: 'settlement' });
    expect(lines[0]).to.match(/^\S+Z WARN {2}\[http\] JOB_SKIP \{"job":"settlement"\}$/);
  });
});
