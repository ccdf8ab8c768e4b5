import { expect } from 'chai';
import { traceContextOf } from './trace-context';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceContextOf', () => {
  it('reads traceparent and tracestate from headers, as text or bytes', () => {
    expect(traceContextOf({ traceparent: TRACEPARENT })).to.deep.equal({ traceparent: TRACEPARENT });
    expect(traceContextOf({ traceparent: Buffer.from(TRACEPARENT), tracestate: 'banca=1,other=x' })).to.deep.equal({ traceparent: TRACEPARENT, tracestate: 'banca=1,other=x' });
  });

  it('is null without a traceparent, or with one that is not W3C trace context', () => {
    expect(traceContextOf(undefined)).to.equal(null);
    expect(traceContextOf({})).to.equal(null);
    for (const bad of ['', 'garbage', `${TRACEPARENT}x`, '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', TRACEPARENT.toUpperCase(), 42]) {
      expect(traceContextOf({ traceparent: bad }), String(bad)).to.equal(null);
    }
  });

  it('drops a tracestate that is too long or spans lines, keeping the traceparent', () => {
    expect(traceContextOf({ traceparent: TRACEPARENT, tracestate: 'a'.repeat(513) })).to.deep.equal({ traceparent: TRACEPARENT });
    expect(traceContextOf({ traceparent: TRACEPARENT, tracestate: 'a=1\nb=2' })).to.deep.equal({ traceparent: TRACEPARENT });
  });
});
