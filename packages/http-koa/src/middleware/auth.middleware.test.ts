import { expect } from 'chai';
import { HttpError } from '../http-error';
import { nowSeconds, tokenWithClaims } from '../testing/tokens.test-helpers';
import { MAX_USER_ID_LENGTH } from '@banca/domain';
import { signToken, type TokenPolicy, verifyBearer } from './auth.middleware';

const POLICY: TokenPolicy = { secret: 'auth-middleware-test-secret', maxTokenTtlSeconds: 3600 };
const HOUR = 3600;

function refusal(token: string): { status: number; code: string } | null {
  try {
    verifyBearer(`Bearer ${token}`, POLICY);
    return null;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code };
    throw error;
  }
}

const admin = (claims: Record<string, unknown>) => tokenWithClaims({ sub: 'ops', role: 'admin', ...claims }, POLICY.secret);

describe('verifyBearer: how long a token may live', () => {
  it('accepts a token that lives up to the configured maximum, with or without iat', () => {
    const now = nowSeconds();
    expect(refusal(signToken({ sub: 'ops', role: 'admin' }, POLICY.secret, HOUR))).to.equal(null);
    expect(refusal(admin({ iat: now, exp: now + HOUR }))).to.equal(null);
    expect(refusal(admin({ exp: now + HOUR }))).to.equal(null);
    expect(refusal(admin({ iat: now - HOUR + 60, exp: now + 60 }))).to.equal(null);
  });

  it('accepts a token minted at the maximum by an issuer whose clock runs a little ahead', () => {
    const issuerNow = nowSeconds() + 30;
    expect(refusal(admin({ iat: issuerNow, exp: issuerNow + HOUR }))).to.equal(null);
  });

  it('refuses with 401 AUTH.TOKEN_TOO_LONG_LIVED a token whose lifetime exceeds the maximum, however its claims are set', () => {
    const now = nowSeconds();
    const tooLong = { status: 401, code: 'AUTH.TOKEN_TOO_LONG_LIVED' };
    expect(refusal(signToken({ sub: 'ops', role: 'admin' }, POLICY.secret, HOUR + 1)), 'one second over').to.deep.equal(tooLong);
    expect(refusal(admin({ exp: now + 2 * HOUR })), 'no iat, expiring in two hours').to.deep.equal(tooLong);
    expect(refusal(admin({ iat: now, exp: 1e300 })), 'exp 1e300').to.deep.equal(tooLong);
    expect(refusal(admin({ exp: 1e300 })), 'exp 1e300 without iat').to.deep.equal(tooLong);
    expect(refusal(admin({ iat: now - 2 * HOUR, exp: now + 60 })), 'issued two hours ago, expiring in a minute').to.deep.equal(tooLong);
    expect(refusal(admin({ iat: now + 10 * HOUR, exp: now + 10 * HOUR + 60 })), 'issued in the future, living a minute').to.deep.equal(tooLong);
    expect(refusal(tokenWithClaims({ sub: 'g', role: 'guardian', exp: now + 2 * HOUR }, POLICY.secret)), 'a guardian token').to.deep.equal(tooLong);
  });
});

describe('verifyBearer: the subject', () => {
  it(`accepts a subject of up to ${MAX_USER_ID_LENGTH} characters and refuses a longer one with 401 AUTH.INVALID_TOKEN`, () => {
    const exp = nowSeconds() + 60;
    expect(refusal(admin({ sub: 'o'.repeat(MAX_USER_ID_LENGTH), exp }))).to.equal(null);
    expect(refusal(admin({ sub: 'o'.repeat(MAX_USER_ID_LENGTH + 1), exp }))).to.deep.equal({ status: 401, code: 'AUTH.INVALID_TOKEN' });
    expect(refusal(admin({ sub: 'o'.repeat(60_000), exp }))).to.deep.equal({ status: 401, code: 'AUTH.INVALID_TOKEN' });
  });
});
