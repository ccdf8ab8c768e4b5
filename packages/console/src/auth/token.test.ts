import { expect } from 'chai';
import { checkToken, tokenInFragment } from './token';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
const NOW = Date.parse('2026-11-27T20:00:00Z');
const inAnHour = NOW / 1000 + 3600;

describe('checkToken', () => {
  it('takes an admin token that has not expired, pasted with or without "Bearer"', () => {
    const token = jwt({ sub: 'ops-ana', role: 'admin', exp: inAnHour });
    expect(checkToken(token, NOW)).to.deep.equal({ ok: true, token, claims: { sub: 'ops-ana', role: 'admin', exp: inAnHour } });
    expect(checkToken(` Bearer ${token}\n`, NOW)).to.have.property('token', token);
  });

  it('turns a guardian token away saying the console needs an admin one', () => {
    const check = checkToken(jwt({ sub: 'g-1', role: 'guardian', exp: inAnHour }), NOW);
    expect(check).to.deep.include({ ok: false });
    expect(check.ok ? '' : check.problem).to.match(/guardian token: the console needs an admin token/);
  });

  it('turns an expired token away saying when it expired', () => {
    const check = checkToken(jwt({ sub: 'ops-ana', role: 'admin', exp: NOW / 1000 - 1 }), NOW);
    expect(check.ok ? '' : check.problem).to.equal('That token expired at 2026-11-27T19:59:59.000Z. Run `banca console` for a new sign-in link.');
  });

  it('says what a token is when given something else', () => {
    for (const raw of ['', 'abc', 'a.b.c', `${part({})}.${part({ role: 'admin' })}.x`]) {
      expect(checkToken(raw, NOW).ok, raw).to.equal(false);
    }
  });
});

describe('tokenInFragment', () => {
  it('reads the token of a sign-in link', () => {
    expect(tokenInFragment('#token=a.b.c')).to.equal('a.b.c');
    expect(tokenInFragment('')).to.equal(null);
  });
});
