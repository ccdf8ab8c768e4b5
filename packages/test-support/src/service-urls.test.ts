import { expect } from 'chai';
import { resolveServiceUrl } from './service-urls';

describe('resolveServiceUrl', () => {
  const noDocker = () => Promise.reject(new Error('Could not find a working container runtime strategy'));

  it('takes the TEST_*_URL variable when set, without starting a container', async () => {
    const url = await resolveServiceUrl('redis', { TEST_REDIS_URL: 'redis://10.0.0.1:6379' }, () => {
      throw new Error('must not start a container');
    });
    expect(url).to.equal('redis://10.0.0.1:6379');
  });

  it('starts a container when the variable is unset', async () => {
    expect(await resolveServiceUrl('postgres', {}, async () => 'postgres://test@localhost:32768/test')).to.equal('postgres://test@localhost:32768/test');
  });

  for (const [name, variable] of [['postgres', 'TEST_DATABASE_URL'], ['rabbitmq', 'TEST_RABBITMQ_URL'], ['redis', 'TEST_REDIS_URL']] as const) {
    it(`says what to set when neither ${variable} nor Docker is there`, async () => {
      const failure = await resolveServiceUrl(name, { [variable]: '  ' }, noDocker).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure?.message).to.contain(`set ${variable}`).and.contain('Testcontainers').and.contain('container runtime');
    });
  }
});
