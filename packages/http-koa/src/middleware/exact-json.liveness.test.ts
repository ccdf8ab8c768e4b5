import { expect } from 'chai';
import { memoryLogger } from '@banca/domain/ports';
import { healthRoutes } from '../routes/health.routes';
import { type AllowanceApi, startAllowanceApi } from '../testing/allowance-api.test-helpers';
import { probeLiveness } from '../testing/liveness-probe';

const PARALLEL = 4;
/** Digits enough to fill the 64 KiB body limit with the JSON around them. */
const DIGITS = 64 * 1024 - 100;

/** The worst wait of `/health/live` while `PARALLEL` requests with `body` are in flight. */
async function worstLivenessWait(api: AllowanceApi, body: string): Promise<number> {
  const probe = probeLiveness(api.server.base);
  const responses = await Promise.all(
    Array.from({ length: PARALLEL }, () =>
      api.call(`/guardians/me/allowances/${api.juniorId}`, { method: 'POST', raw: body, headers: { 'content-type': 'application/json' } }),
    ),
  );
  const worst = await probe.stop();
  for (const response of responses) expect(response.status, JSON.stringify(response.body)).to.equal(400);
  return worst;
}

describe('a JSON body made of one long number', function () {
  this.timeout(300_000);
  let api: AllowanceApi;

  beforeEach(async () => {
    api = await startAllowanceApi({ extraRoutes: healthRoutes({}, memoryLogger('health')) });
  });
  afterEach(() => api.server.close());

  it('holds up /health/live no longer than a string of the same size does', async () => {
    // Refused either way (more than two decimals; not a number): only the reading of the body differs.
    const longNumber = `{"amount":1.${'0'.repeat(DIGITS)}1,"frequency":"DAILY","status":"ON"}`;
    const longString = `{"amount":"1.${'0'.repeat(DIGITS)}1","frequency":"DAILY","status":"ON"}`;
    await worstLivenessWait(api, longString); // warms up the routes and the sockets

    const stringWait = await worstLivenessWait(api, longString);
    const numberWait = await worstLivenessWait(api, longNumber);

    // Relative, and generous: reading a number costs a few times what reading a string does, never seconds more.
    expect(numberWait, `worst /health/live wait: ${numberWait.toFixed(1)} ms with numbers, ${stringWait.toFixed(1)} ms with strings`).to.be.at.most(
      10 * stringWait + 500,
    );
  });
});
