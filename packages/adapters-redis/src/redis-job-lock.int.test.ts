import { expect } from 'chai';
import Redis from 'ioredis';
import { jobLockContract } from '@banca/domain/testing';
import { createTestRedis, useTestRedis } from '@banca/test-support';
import { RedisJobLock } from './redis-job-lock';

jobLockContract('RedisJobLock on real Redis', async () => {
  const test = await createTestRedis('lock_contract');
  const clients = [new Redis(test.url), new Redis(test.url)];
  return {
    lock: new RedisJobLock(clients[0]!, test.prefix),
    otherClient: new RedisJobLock(clients[1]!, test.prefix),
    expires: true,
    async close() {
      await test.cleanup();
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
});

describe('RedisJobLock keys', () => {
  const test = useTestRedis('lock');
  let redis: Redis;

  before(() => {
    redis = new Redis(test.current.url);
  });
  after(() => redis.quit());

  it('stores the owner token under the prefixed key with the TTL, and removes it on release', async () => {
    const lock = new RedisJobLock(redis, test.current.prefix);
    const held = await lock.tryAcquire('settlement', 5_000);
    const key = `${test.current.prefix}settlement`;
    expect(await redis.get(key)).to.equal(held!.token);
    expect(await redis.pttl(key)).to.be.greaterThan(0).and.at.most(5_000);
    await held!.release();
    expect(await redis.exists(key)).to.equal(0);
  });
});
