// Required before anything else by bin/banca.js, so the libraries it instruments load under tracing;
// it imports nothing of the product for that reason.
import { startTelemetry, TelemetryConfigError } from './telemetry';

try {
  startTelemetry(process.env);
} catch (error) {
  if (!(error instanceof TelemetryConfigError)) throw error;
  process.stderr.write(`banca: invalid configuration: ${error.message}\n`);
  process.exit(2);
}
