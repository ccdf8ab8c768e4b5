import { expect } from 'chai';
import fc from 'fast-check';
import { DuplicateJsonKeyError, JsonSyntaxError, MAX_JSON_DEPTH, parseJsonExact } from './exact-json';

describe('parseJsonExact', () => {
  it('reads any JSON that JSON.stringify writes as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonExact(text)).to.deep.equal(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('reads whitespace, escapes and nesting as JSON.parse does', () => {
    const text = ' {\n\t"a" : [ 1 , -0.01 , 1500 , true , false , null , { } , [ ] ] ,\r\n "b\\"\\u00e9\\\\" : "say \\"9.99999999999999999\\"" } ';
    expect(parseJsonExact(text)).to.deep.equal(JSON.parse(text));
  });

  it('hands on a number as a number only when JavaScript writes it back as it was sent', () => {
    expect(parseJsonExact('[3, 10.5, -0.01, 0, 1500, 12345678901234567000]')).to.deep.equal([3, 10.5, -0.01, 0, 1500, 12345678901234567000]);
  });

  it('hands on any other number as its literal text: padding zeros, exponents, more digits than a double holds', () => {
    expect(parseJsonExact('{"amount": 100.0000000000000001}')).to.deep.equal({ amount: '100.0000000000000001' });
    expect(parseJsonExact('[10.50, 1.0, 1e3, 1E3, 1e-2, 1e400, -0, 12345678901234567890, 9007199254740993]')).to.deep.equal([
      '10.50', '1.0', '1e3', '1E3', '1e-2', '1e400', '-0', '12345678901234567890', '9007199254740993',
    ]);
  });

  it('refuses a key given twice, naming where, once the whole text is read', () => {
    const cases: Array<[string, string]> = [
      ['{"amount":"-1","amount":"5.00"}', 'amount'],
      ['{"a":{"b":1,"c":2,"b":3}}', 'a.b'],
      ['{"items":[{"id":1},{"id":2,"id":3}]}', 'items[1].id'],
      ['{"__proto__":1,"__proto__":2}', '__proto__'],
    ];
    for (const [text, field] of cases) {
      expect(() => parseJsonExact(text), text).to.throw(DuplicateJsonKeyError).with.property('field', field);
    }
    expect(() => parseJsonExact('{"a":1,"a":2')).to.throw(JsonSyntaxError);
  });

  it('keeps a "__proto__" key as data, as JSON.parse does', () => {
    const parsed = parseJsonExact('{"__proto__":{"admin":true}}') as Record<string, unknown>;
    expect(Object.keys(parsed)).to.deep.equal(['__proto__']);
    expect(Object.getPrototypeOf(parsed)).to.equal(Object.prototype);
    expect((parsed as { admin?: unknown }).admin).to.equal(undefined);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, and reads ${MAX_JSON_DEPTH}`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(() => parseJsonExact(nested(MAX_JSON_DEPTH))).not.to.throw();
    expect(() => parseJsonExact(nested(MAX_JSON_DEPTH + 1))).to.throw(JsonSyntaxError, /deeper/);
    expect(() => parseJsonExact(nested(30_000))).to.throw(JsonSyntaxError, /deeper/);
  });

  it('throws JsonSyntaxError on text that is not JSON, wherever JSON.parse throws', () => {
    const texts = [
      '', '{"a": 1,', '{"a": -}', '{"a": 01}', "{'a': 1}", '{"a": 1} x', '[1,]', '{,}', '"\u0001"', '"\\x"', '"open',
      'tru', 'nul', '{"a" 1}', '\u00a0{}', '{}\u00a0', '\ufeff{}', '{"a": .5}', '{"a": 5.}', '{"a": +1}', '{"a": 1e}', 'NaN', '[Infinity]',
    ];
    for (const text of texts) {
      expect(() => JSON.parse(text), `JSON.parse(${JSON.stringify(text)})`).to.throw(SyntaxError);
      expect(() => parseJsonExact(text), JSON.stringify(text)).to.throw(JsonSyntaxError);
    }
  });
});
