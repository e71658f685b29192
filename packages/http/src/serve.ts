import type { Socket } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface ServerTimeouts {
  /** Longest a client may take to send its request headers (slowloris). */
  headersTimeoutMs?: number;
  /** Longest a client may take to send the whole request, body included. */
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** How often Node checks the two timeouts above. */
  checkIntervalMs?: number;
}

export const DEFAULT_TIMEOUTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  checkIntervalMs: 2_000,
} as const;

/**
 * Starts a Node HTTP server for a Hono app with timeouts that stop slow-body
 * and slow-header clients from holding sockets forever.
 */
export function startServer(
  app: Pick<Hono, 'fetch'>,
  port: number,
  hostname = '0.0.0.0',
  timeouts: ServerTimeouts = {},
): Promise<{ server: ServerType; port: number }> {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: app.fetch,
        port,
        hostname,
        serverOptions: {
          headersTimeout: t.headersTimeoutMs,
          requestTimeout: t.requestTimeoutMs,
          connectionsCheckingInterval: t.checkIntervalMs,
        },
      },
      (info) => resolve({ server, port: info.port }),
    );
    const http = server as unknown as { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number };
    http.headersTimeout = t.headersTimeoutMs;
    http.requestTimeout = t.requestTimeoutMs;
    http.keepAliveTimeout = t.keepAliveTimeoutMs;
    server.on('clientError', answerClientError);
    server.prependListener('request', closeAfterUnreadBody);
  });
}

interface ServerExchange {
  complete: boolean;
  socket: Socket;
}
interface ServerAnswer {
  headersSent: boolean;
  setHeader(name: string, value: string): void;
  writeHead: (...args: never[]) => unknown;
}

/**
 * An answer sent before the request body was read (413, 415, 404 for an
 * unknown site…) must not promise keep-alive: the unread rest of the body
 * would be taken for the next request, or the server closes the socket while
 * draining it, and the client's next request on that connection fails. So
 * such an answer says `Connection: close`, and the client opens a new one.
 */
function closeAfterUnreadBody(req: ServerExchange, res: ServerAnswer): void {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadClosingEarly(this: ServerAnswer, ...args: never[]) {
    if (!req.complete && !this.headersSent) {
      this.setHeader('Connection', 'close');
      lingerBeforeClosing(req.socket);
    }
    return writeHead.apply(this, args);
  } as ServerAnswer['writeHead'];
}

const LINGER_MS = 2000;
const LINGER_MAX_BYTES = 1024 * 1024;

/**
 * Closing a socket while the client's body is still arriving makes the kernel
 * answer with a reset, and a reset makes the client drop the answer it has
 * not read yet. So, like nginx's lingering close: send the answer and our FIN,
 * keep reading (and discarding) what the client still sends, and close once it
 * closes, after LINGER_MS, or after LINGER_MAX_BYTES, whichever comes first.
 */
function lingerBeforeClosing(socket: Socket): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    let unread = 0;
    const close = () => {
      clearTimeout(timer);
      this.destroy();
    };
    const timer = setTimeout(close, LINGER_MS);
    timer.unref();
    this.on('data', (chunk: Buffer) => {
      unread += chunk.length;
      if (unread > LINGER_MAX_BYTES) close();
    });
    this.once('end', close);
    this.once('close', () => clearTimeout(timer));
    this.end();
    this.resume();
  };
}

/**
 * Requests Node refuses before they reach the app (headers or URL too large,
 * too slow, unparseable) still get a JSON error body like every other answer.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'request headers or URL are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request was not sent in time']
        : [400, 'Bad Request', 'the request could not be parsed'];
  const body = JSON.stringify({ error: { code: 'invalid_request', message, requestId: 'req_unknown' } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Stops taking connections and resolves when the in-flight requests have
 * finished. A keep-alive client that sends its next request the moment the
 * last one is answered never looks idle, so from now on every answer says
 * `Connection: close`, and idle sockets are swept until the server is closed.
 */
export function closeServer(server: ServerType): Promise<void> {
  const http = server as unknown as {
    closeIdleConnections?: () => void;
    on: (
      event: 'request',
      listener: (req: unknown, res: { setHeader: (name: string, value: string) => void; headersSent: boolean }) => void,
    ) => void;
  };
  http.on('request', (_req, res) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  });
  return new Promise((resolve) => {
    const sweep = setInterval(() => http.closeIdleConnections?.(), 100);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}
