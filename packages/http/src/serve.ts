import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';

/**
 * Starts a Node HTTP server for a Hono app with timeouts that stop slow-body
 * and slow-header clients from holding sockets forever.
 */
export function startServer(app: Hono<any, any, any>, port: number, hostname = '0.0.0.0'): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => resolve({ server, port: info.port }));
    const http = server as unknown as { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number };
    http.headersTimeout = 10_000;
    http.requestTimeout = 30_000;
    http.keepAliveTimeout = 65_000;
  });
}

/** Stops taking connections and resolves when the in-flight requests have finished. */
export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would otherwise hold close() open until they time out.
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
}
