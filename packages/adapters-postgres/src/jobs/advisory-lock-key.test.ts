import { expect } from 'chai';
import { advisoryLockKey } from './advisory-lock-key';

describe('advisoryLockKey', () => {
  it('is a stable signed 64-bit key per job and namespace', () => {
    const key = advisoryLockKey('settlement');
    expect(key).to.equal(advisoryLockKey('settlement'));
    expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).to.equal(true);
    expect(key).to.not.equal(advisoryLockKey('monthly-closing'));
    expect(key).to.not.equal(advisoryLockKey('settlement', 'another-app'));
  });
});
