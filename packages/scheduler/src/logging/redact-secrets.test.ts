import { expect } from 'chai';
import { REDACTED, redactSecrets, redactText } from './redact-secrets';

describe('redactSecrets', () => {
  it('replaces the values of secret-named keys, at any depth', () => {
    expect(
      redactSecrets({ headers: { Authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', accept: 'application/json' }, password: 'hunter2', refreshToken: 'r', AUTH_JWT_SECRET: 's', list: [{ apiKey: 'k' }] }),
    ).to.deep.equal({ headers: { Authorization: REDACTED, cookie: REDACTED, accept: 'application/json' }, password: REDACTED, refreshToken: REDACTED, AUTH_JWT_SECRET: REDACTED, list: [{ apiKey: REDACTED }] });
  });

  it('keeps the shape of what holds no secret, and the descriptions of where one comes from', () => {
    const payload = { job: 'settlement', count: 3, at: new Date(0), nothing: null, authSecretFrom: 'AUTH_JWT_SECRET', tokenTtlSeconds: 3600 };
    expect(redactSecrets(payload)).to.deep.equal(payload);
  });

  it('removes passwords from URLs, credentials after Bearer or Basic, JWTs and tokens in query strings or fragments', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl';
    expect(redactText('connect ECONNREFUSED amqp://guest:guest@127.0.0.1:5672 and postgres://app:s3cr%40t@db/banca')).to.equal(
      `connect ECONNREFUSED amqp://guest:${REDACTED}@127.0.0.1:5672 and postgres://app:${REDACTED}@db/banca`,
    );
    expect(redactText('header Bearer abc.DEF-123_x and basic Z3Vlc3Q6Z3Vlc3Q=')).to.equal(`header Bearer ${REDACTED} and basic ${REDACTED}`);
    expect(redactText(`token ${jwt} given`)).to.equal(`token ${REDACTED} given`);
    expect(redactText('/console#token=abc&x=1 /x?access_token=zz')).to.equal(`/console#token=${REDACTED}&x=1 /x?access_token=${REDACTED}`);
    expect(redactText('postgres://postgres@127.0.0.1:5432/test')).to.equal('postgres://postgres@127.0.0.1:5432/test');
  });

  it('reads errors as their name and redacted message, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(redactSecrets({ error: new Error('login failed for amqp://u:p@h') })).to.deep.equal({ error: { name: 'Error', message: `login failed for amqp://u:${REDACTED}@h` } });
    expect(redactSecrets(cyclic)).to.deep.equal({ name: 'loop', self: '[…]' });
  });
});
