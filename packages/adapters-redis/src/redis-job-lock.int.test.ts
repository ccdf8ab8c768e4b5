import { expect } from 'chai';
import Redis from 'ioredis';
import { useTestRedis } from '@banca/test-support';
import { RedisJobLock } from './redis-job-lock';

describe('RedisJobLock on real Redis', () => {
  const test = useTestRedis('lock');
  let redis: Redis;
  let lock: RedisJobLock;

  before(() => {
    redis = new Redis(test.current.url);
    lock = new RedisJobLock(redis, test.current.prefix);
  });
  after(() => redis.quit());

  it('lets one owner in at a time and frees the lock on release', async () => {
    const first = await lock.tryAcquire('settlement', 10_000);
    expect(first).to.not.equal(null);
    expect(await lock.tryAcquire('settlement', 10_000)).to.equal(null);
    expect(await first!.release()).to.equal(true);
    const again = await lock.tryAcquire('settlement', 10_000);
    expect(again).to.not.equal(null);
    await again!.release();
  });

  it('stores the owner token with a TTL', async () => {
    const held = await lock.tryAcquire('ttl-check', 5_000);
    const key = `${test.current.prefix}ttl-check`;
    expect(await redis.get(key)).to.equal(held!.token);
    const ttl = await redis.pttl(key);
    expect(ttl).to.be.greaterThan(0).and.at.most(5_000);
    await held!.release();
  });

  it('never releases a lock that expired and was taken by another owner', async () => {
    const stale = await lock.tryAcquire('expiring', 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const current = await lock.tryAcquire('expiring', 10_000);
    expect(current).to.not.equal(null);
    expect(await stale!.release()).to.equal(false);
    expect(await redis.get(`${test.current.prefix}expiring`)).to.equal(current!.token);
    await current!.release();
  });

  it('gives one winner among concurrent contenders', async () => {
    const contenders = await Promise.all(Array.from({ length: 20 }, () => lock.tryAcquire('race', 10_000)));
    const winners = contenders.filter((held) => held !== null);
    expect(winners).to.have.length(1);
    await winners[0]!.release();
  });
});
