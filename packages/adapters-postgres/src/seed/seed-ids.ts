import { createHash } from 'node:crypto';

/**
 * A UUID derived from a stable key (`md5(key)` shaped as a uuid, the same as `md5(key)::uuid` in SQL),
 * so seeded rows have the same ids on every run and `ON CONFLICT DO NOTHING` makes a re-run a no-op.
 */
export function seedId(key: string): string {
  const hex = createHash('md5').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * SQL for a deterministic pseudo-random integer in [0, 2^32) from a text expression: one of the four
 * 32-bit words (`word` 0..3) of its md5. Used to spread generated rows without storing them in Node.
 */
export function sqlHash32(textExpression: string, word: 0 | 1 | 2 | 3): string {
  return `('x' || substr(md5(${textExpression}), ${word * 8 + 1}, 8))::bit(32)::bigint`;
}
