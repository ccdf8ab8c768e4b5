const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * JSON.parse, except that a number a double cannot hold as written (`100.0000000000000001`, `1e400`)
 * is handed on as its literal text. Exact parsers (money) then judge what the client sent, not a
 * rounded neighbour that would pass their checks. Text that is not JSON throws as JSON.parse does.
 */
export function parseJsonExact(text: string): unknown {
  let rewritten = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      index = endOfString(text, index);
      continue;
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      NUMBER_TOKEN.lastIndex = index;
      const token = NUMBER_TOKEN.exec(text)?.[0];
      if (token === undefined) return JSON.parse(text);
      if (!survivesDouble(token)) {
        rewritten += `${text.slice(copiedUpTo, index)}"${token}"`;
        copiedUpTo = index + token.length;
      }
      index += token.length;
      continue;
    }
    index += 1;
  }
  return JSON.parse(copiedUpTo === 0 ? text : rewritten + text.slice(copiedUpTo));
}

function endOfString(text: string, opening: number): number {
  let index = opening + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index + 1;
}

function survivesDouble(token: string): boolean {
  const value = Number(token);
  return Number.isFinite(value) && canonical(token) === canonical(String(value));
}

/** The value of a decimal literal as digits and exponent without padding zeros: 1.50 and 15e-1 are both "15e-1". */
function canonical(literal: string): string {
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = DECIMAL.exec(literal) ?? [];
  let digits = (whole + fraction).replace(/^0+/, '');
  let power = Number(exponent) - fraction.length;
  if (digits === '') return '0';
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  power += trailing;
  return `${sign}${digits}e${power}`;
}
