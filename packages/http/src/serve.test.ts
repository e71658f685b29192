import net from 'node:net';
import type { ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from './json-body.js';
import { DEFAULT_TIMEOUTS, closeServer, startServer } from './serve.js';

// Slow and broken clients, over a raw socket: the server answers with a JSON
// error and closes, instead of holding the socket for as long as they like.

let server: ServerType;
let port: number;

beforeAll(async () => {
  const app = new Hono();
  app.get('/', (c) => c.json({ ok: true }));
  app.post('/echo', jsonBody(), async (c) => c.json(await c.req.json()));
  app.onError((error, c) => c.json({ error: { code: 'invalid_request', message: error.message } }, 400));
  ({ server, port } = await startServer(app, 0, '127.0.0.1', {
    headersTimeoutMs: 600,
    requestTimeoutMs: 1500,
    checkIntervalMs: 200,
  }));
});
afterAll(async () => {
  (server as unknown as { closeAllConnections: () => void }).closeAllConnections();
  await closeServer(server);
});

/** Writes `chunks` (then waits) and resolves with whatever the server sent once it closed the socket, and how long that took. */
function rawExchange(
  chunks: string[],
  options: { deadlineMs?: number } = {},
): Promise<{ data: string; closedAfterMs: number; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ data, closedAfterMs: Date.now() - started, closedByServer: false });
    }, options.deadlineMs ?? 15_000);
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data, closedAfterMs: Date.now() - started, closedByServer: true });
    });
    socket.on('error', () => {});
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

describe('startServer against slow and broken clients', () => {
  it('ships with a 10 s header timeout and a 30 s whole-request timeout', () => {
    expect(DEFAULT_TIMEOUTS.headersTimeoutMs).toBe(10_000);
    expect(DEFAULT_TIMEOUTS.requestTimeoutMs).toBe(30_000);
  });

  it('answers 408 with a JSON error and closes when the headers never finish (slowloris)', async () => {
    const result = await rawExchange(['GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: '], { deadlineMs: 10_000 });
    expect(result.closedByServer).toBe(true);
    expect(result.data).toMatch(/^HTTP\/1\.1 408/);
    expect(result.data).toContain('"code":"invalid_request"');
  });

  it('closes the connection when the body never finishes (slow body)', async () => {
    const result = await rawExchange(
      ['POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":'],
      {
        deadlineMs: 10_000,
      },
    );
    expect(result.closedByServer).toBe(true);
    // Either Node's 408 or the app's own error, but never a hung socket or a success.
    expect(result.data === '' || /^HTTP\/1\.1 (408|400|413)/.test(result.data)).toBe(true);
  });

  it('answers 431 with a JSON error when the headers are too large', async () => {
    const result = await rawExchange([`GET /?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`]);
    expect(result.data).toMatch(/^HTTP\/1\.1 431/);
    expect(result.data).toContain('application/json');
    expect(result.data).toContain('"error"');
  });

  it('answers 400 with a JSON error to bytes that are not HTTP', async () => {
    const result = await rawExchange(['NOT HTTP AT ALL\r\n\r\n']);
    expect(result.data).toMatch(/^HTTP\/1\.1 400/);
    expect(result.data).toContain('"code":"invalid_request"');
  });

  it('answers a body it refuses before reading it with Connection: close, so the next request goes on a fresh socket', async () => {
    const big = 'x'.repeat(70_000);
    const refused = `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`;
    const result = await rawExchange([refused, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'], { deadlineMs: 10_000 });
    expect(result.data).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(result.data.toLowerCase()).toContain('connection: close');
    expect(result.data.toLowerCase()).not.toContain('connection: keep-alive');
    expect(result.closedByServer).toBe(true);
  });

  it('keeps the connection after an answer whose request body was read', async () => {
    const body = '{"a":1}';
    const first = `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const result = await rawExchange([first, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'], {
      deadlineMs: 10_000,
    });
    expect(result.data.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    expect(result.data).toContain('{"ok":true}');
  });

  it('still serves a well-behaved client', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.json()).toEqual({ ok: true });
  });
});
