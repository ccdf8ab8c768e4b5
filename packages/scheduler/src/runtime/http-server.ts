import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

/** What a client may take of the server (`HTTP_*` settings). */
export interface HttpServerLimits {
  /** From connecting to the end of the request headers. */
  headersTimeoutMs: number;
  /** From connecting to the end of the request body; the handler's own time does not count. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this many are closed as they arrive. */
  maxConnections: number;
}

/** How often Node looks for requests past their timeouts (its default, 30 s, would let them overstay that long). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * The HTTP listener of a process; `stop` stops accepting and lets requests in flight finish. A
 * client that sends its request slowly is answered 408 and cut off at the request timeout, whatever
 * it holds open, so slow clients cannot pile up connections until Node's five-minute default.
 */
export class HttpServer {
  private server: Server | null = null;

  constructor(
    private readonly app: Koa,
    private readonly port: number,
    private readonly limits: HttpServerLimits,
  ) {}

  async start(): Promise<number> {
    const server = createServer(
      {
        headersTimeout: this.limits.headersTimeoutMs,
        requestTimeout: this.limits.requestTimeoutMs,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      },
      this.app.callback(),
    );
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    server.maxConnections = this.limits.maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
      server.listen(this.port);
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(timeoutMs: number): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    await closed;
    clearTimeout(timer);
  }
}
