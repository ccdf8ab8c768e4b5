import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

/** The HTTP listener of a process; `stop` stops accepting and lets requests in flight finish. */
export class HttpServer {
  private server: Server | null = null;

  constructor(
    private readonly app: Koa,
    private readonly port: number,
  ) {}

  async start(): Promise<number> {
    const server = this.app.listen(this.port);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
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
