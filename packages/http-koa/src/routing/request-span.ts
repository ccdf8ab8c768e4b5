import { trace } from '@opentelemetry/api';

/**
 * Names the request's server span after its route (`POST /guardians/me/allowances/:juniorId`) and sets
 * `http.route`, as a tracing backend groups requests (docs/architecture.md, Tracing). Without tracing
 * there is no active span and this does nothing.
 */
export function nameRequestSpan(method: string, route: string): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  span.setAttribute('http.route', route);
  span.updateName(`${method} ${route}`);
}
