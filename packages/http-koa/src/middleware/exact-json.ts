/** Deeper than any body of this API; bounds the parser's recursion whatever a client sends. */
export const MAX_JSON_DEPTH = 64;

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

/** Text that is not JSON, or JSON nested deeper than MAX_JSON_DEPTH. */
export class JsonSyntaxError extends SyntaxError {
  override readonly name = 'JsonSyntaxError';
}

/** A key given twice in one object; `field` names it as validation errors do (`amount`, `items[0].id`). */
export class DuplicateJsonKeyError extends Error {
  override readonly name = 'DuplicateJsonKeyError';

  constructor(readonly field: string) {
    super(`${field} appears more than once`);
  }
}

/**
 * JSON.parse, but exact where JSON.parse guesses, in time linear in the text:
 * - a number is handed on as a number only when JavaScript writes it back as the client did (`10.5`,
 *   `3`); any other (`10.50`, `1e3`, `100.0000000000000001`) is handed on as its literal text, so
 *   exact parsers (money) judge what was written instead of a rounded neighbour that would pass;
 * - a key given twice in one object throws DuplicateJsonKeyError (JSON.parse keeps the last one, so
 *   `{"amount":"-1","amount":"5.00"}` would read as 5.00);
 * - nesting deeper than MAX_JSON_DEPTH throws JsonSyntaxError, as text that is not JSON does.
 */
export function parseJsonExact(text: string): unknown {
  return new ExactJsonParser(text).parse();
}

class ExactJsonParser {
  private index = 0;
  private depth = 0;
  private readonly path: Array<string | number> = [];
  private duplicate: string | null = null;

  constructor(private readonly text: string) {}

  parse(): unknown {
    const value = this.value();
    this.skipWhitespace();
    if (this.index < this.text.length) this.fail('unexpected text after the JSON value');
    // Reported only once the whole text is known to be JSON, so broken text is always a syntax error.
    if (this.duplicate !== null) throw new DuplicateJsonKeyError(this.duplicate);
    return value;
  }

  private value(): unknown {
    this.skipWhitespace();
    const char = this.text[this.index];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return value;
      }
    }
    return this.fail(char === undefined ? 'unexpected end of the text' : `unexpected ${JSON.stringify(char)}`);
  }

  private object(): Record<string, unknown> {
    this.enter();
    const result: Record<string, unknown> = {};
    if (!this.closes('}')) {
      do {
        this.skipWhitespace();
        if (this.text[this.index] !== '"') this.fail('expected a key');
        const key = this.string();
        this.expect(':');
        this.path.push(key);
        if (Object.hasOwn(result, key)) this.duplicate ??= fieldName(this.path);
        // defineProperty, not assignment: a "__proto__" key is data, as JSON.parse makes it.
        Object.defineProperty(result, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
        this.path.pop();
      } while (this.separates('}'));
    }
    this.leave();
    return result;
  }

  private array(): unknown[] {
    this.enter();
    const result: unknown[] = [];
    if (!this.closes(']')) {
      do {
        this.path.push(result.length);
        result.push(this.value());
        this.path.pop();
      } while (this.separates(']'));
    }
    this.leave();
    return result;
  }

  private string(): string {
    let end = this.index + 1;
    while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === '\\' ? 2 : 1;
    if (end >= this.text.length) this.fail('unterminated string');
    let value: string;
    try {
      // JSON.parse judges the escapes and control characters of the string alone, in linear time.
      value = JSON.parse(this.text.slice(this.index, end + 1)) as string;
    } catch {
      return this.fail('invalid string');
    }
    this.index = end + 1;
    return value;
  }

  private number(): number | string {
    NUMBER_TOKEN.lastIndex = this.index;
    const token = NUMBER_TOKEN.exec(this.text)?.[0];
    if (token === undefined) return this.fail('invalid number');
    this.index += token.length;
    const value = Number(token);
    return String(value) === token ? value : token;
  }

  private enter(): void {
    this.index += 1;
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  }

  private leave(): void {
    this.depth -= 1;
  }

  /** After an opening bracket: true (and past it) when the container is empty. */
  private closes(closing: string): boolean {
    this.skipWhitespace();
    if (this.text[this.index] !== closing) return false;
    this.index += 1;
    return true;
  }

  /** After a member: true for a comma, false (and past it) for the closing bracket. */
  private separates(closing: string): boolean {
    this.skipWhitespace();
    const char = this.text[this.index];
    this.index += 1;
    if (char === ',') return true;
    if (char === closing) return false;
    return this.fail(`expected "," or "${closing}"`);
  }

  private expect(char: string): void {
    this.skipWhitespace();
    if (this.text[this.index] !== char) this.fail(`expected "${char}"`);
    this.index += 1;
  }

  /** JSON's whitespace only: a non-breaking space is not JSON, as JSON.parse says. */
  private skipWhitespace(): void {
    for (;;) {
      const char = this.text[this.index];
      if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') return;
      this.index += 1;
    }
  }

  private fail(reason: string): never {
    throw new JsonSyntaxError(`${reason} at position ${this.index}`);
  }
}

function fieldName(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((name, segment) => (typeof segment === 'number' ? `${name}[${segment}]` : name === '' ? segment : `${name}.${segment}`), '');
}
