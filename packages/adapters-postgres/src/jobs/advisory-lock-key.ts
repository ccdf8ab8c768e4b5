import { createHash } from 'node:crypto';

export const DEFAULT_LOCK_NAMESPACE = 'banca-jobs:job-lock';

/**
 * The 64-bit advisory-lock key of a job, as the decimal text of a signed bigint: the first eight bytes
 * of SHA-256 over `namespace:name`. Stable across processes, versions and PostgreSQL releases (unlike
 * `hashtext`), and namespaced so another application's advisory locks on the same database do not
 * collide with ours; a collision between two job names needs a 64-bit clash, which does not happen in practice.
 */
export function advisoryLockKey(name: string, namespace = DEFAULT_LOCK_NAMESPACE): string {
  const digest = createHash('sha256').update(`${namespace}:${name}`).digest();
  return digest.readBigInt64BE(0).toString();
}
