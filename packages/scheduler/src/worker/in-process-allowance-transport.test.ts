import { allowanceTransportContract } from '@banca/domain/testing';
import { InProcessAllowanceTransport } from './in-process-allowance-transport';

allowanceTransportContract('in-process (embedded default)', async () => {
  const transport = new InProcessAllowanceTransport({ retryDelayMs: 100 });
  return {
    transport,
    enqueueRaw: async (rawBody) => transport.enqueueRaw(rawBody),
    close: () => transport.close(),
  };
});
