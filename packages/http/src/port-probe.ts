import net from 'node:net';

// Its own entry point (@stammtisch/http/port-probe), so npm start and the test kit share it
// without loading the HTTP stack.

/** Whether something accepts TCP connections at host:port (within a short timeout). */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
