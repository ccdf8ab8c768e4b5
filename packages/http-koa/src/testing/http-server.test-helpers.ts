import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface TestServer {
  base: string;
  close(): Promise<void>;
}

/** Serves the app on a free port of 127.0.0.1 until `close`. */
export async function serve(app: Koa): Promise<TestServer> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface TestResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when there is none. */
  body: unknown;
}

export interface TestRequest {
  method?: string;
  token?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with the headers given. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export async function call(base: string, path: string, request: TestRequest = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token !== undefined) headers['authorization'] = `Bearer ${request.token}`;
  let body: string | Buffer | undefined = request.raw;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method: request.method ?? 'GET', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The `{ error: { code, … } }` of a response, for short assertions. */
export const errorOf = (response: TestResponse): { code: string; message: string; details?: Record<string, unknown> } =>
  (response.body as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
