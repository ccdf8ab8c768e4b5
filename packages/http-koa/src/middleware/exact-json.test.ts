import { expect } from 'chai';
import { parseJsonExact } from './exact-json';

describe('parseJsonExact', () => {
  it('parses JSON exactly like JSON.parse when every number survives as a double', () => {
    const text = '{"a": 1500, "b": 1500.50, "c": -0.01, "d": 1e2, "e": [0, 12.345], "f": "1.0000000000000000001", "g": "say \\"9.99999999999999999\\""}';
    expect(parseJsonExact(text)).to.deep.equal(JSON.parse(text));
  });

  it('hands on a number a double would round as its literal text', () => {
    expect(parseJsonExact('{"amount": 100.0000000000000001}')).to.deep.equal({ amount: '100.0000000000000001' });
    expect(parseJsonExact('[12345678901234567890, 1e400, 7]')).to.deep.equal(['12345678901234567890', '1e400', 7]);
  });

  it('throws on text that is not JSON', () => {
    for (const text of ['{"a": 1,', '{"a": -}', '{"a": 01}', "{'a': 1}"]) expect(() => parseJsonExact(text), text).to.throw(SyntaxError);
  });
});
