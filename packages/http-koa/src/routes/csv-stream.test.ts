import { expect } from 'chai';
import { csvField, csvLine, streamCsv } from './csv-stream';

describe('CSV as RFC 4180 writes it', () => {
  it('quotes a field with a comma, a quote, a line break or edge spaces, doubling its quotes; leaves the rest as is', () => {
    expect(csvField('Norte')).to.equal('Norte');
    expect(csvField('Ávila, "La Suerte"')).to.equal('"Ávila, ""La Suerte"""');
    expect(csvField('dos\r\nlíneas')).to.equal('"dos\r\nlíneas"');
    expect(csvField(' Sur')).to.equal('" Sur"');
    expect(csvField(null)).to.equal('');
    expect(csvField(3)).to.equal('3');
    expect(csvLine(['a', 'b'])).to.equal('a,b\r\n');
  });

  it('keeps a spreadsheet from running a name as a formula, and never touches an amount', () => {
    expect(csvField('=HYPERLINK("x")', { text: true })).to.equal('"\'=HYPERLINK(""x"")"');
    expect(csvField('@SUM(A1)', { text: true })).to.equal("'@SUM(A1)");
    expect(csvField('-5.00')).to.equal('-5.00');
  });

  it('streams the header and each batch, releasing the source when destroyed midway', async () => {
    let released = false;
    async function* batches() {
      try {
        yield [1, 2];
        yield [3];
        yield [4];
      } finally {
        released = true;
      }
    }
    const whole = await streamCsv(['n'], batches(), (n) => csvLine([String(n)]));
    let text = '';
    for await (const chunk of whole) text += String(chunk);
    expect(text).to.equal('n\r\n1\r\n2\r\n3\r\n4\r\n');
    expect(released).to.equal(true);

    released = false;
    const cut = await streamCsv(['n'], batches(), (n) => csvLine([String(n)]));
    expect(String(cut.read() ?? (await new Promise((resolve) => cut.once('readable', () => resolve(cut.read())))))).to.contain('n\r\n1\r\n2\r\n');
    cut.destroy();
    await new Promise((resolve) => cut.once('close', resolve));
    expect(released, 'the source is released although it was never read to its end').to.equal(true);
  });

  it('answers an empty source with the header alone', async () => {
    const empty = await streamCsv(['a', 'b'], (async function* () {})(), () => '');
    let text = '';
    for await (const chunk of empty) text += String(chunk);
    expect(text).to.equal('a,b\r\n');
  });
});
