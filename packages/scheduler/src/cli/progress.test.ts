import { expect } from 'chai';
import { memoryLogger } from '@banca/domain/ports';
import { createProgress } from './progress';

describe('createProgress', () => {
  it('draws the bar with carriage returns only on a terminal', () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const logger = memoryLogger();
    const bar = createProgress('seeding tickets', 100, logger, terminal);
    bar.update(100);
    bar.finish();
    expect(written.join('')).to.match(/^\rseeding tickets \[#{30}\] 100% 100\/100/);
    expect(logger.entries).to.deep.equal([]);

    const pipe = { isTTY: false, write: (text: string) => written.push(`pipe:${text}`) } as unknown as NodeJS.WriteStream;
    const quiet = createProgress('seeding tickets', 100, logger, pipe);
    quiet.update(50);
    quiet.finish();
    expect(written.filter((text) => text.startsWith('pipe:'))).to.deep.equal([]);
    expect(logger.entries.map((entry) => entry.action)).to.deep.equal(['PROGRESS', 'PROGRESS_DONE']);
  });
});
