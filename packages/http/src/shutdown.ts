import type { Logger } from 'pino';
import { withTimeout } from './ops.js';

export interface GracefulShutdownOptions {
  logger: Logger;
  timeoutMs: number;
  /** What the service finishes before it goes, for the log ("in-flight requests", "jobs in progress"). */
  finishing: string;
  /** Stops intake first, then closes queues, databases and Redis. */
  stop: () => Promise<unknown>;
  /** `process.exit`, passed in by main.ts, the only file that touches the process. */
  exit: (code: number) => void;
}

/**
 * The one shutdown sequence every service uses: on the first signal, run
 * `stop` raced against the timeout, then exit 0, or 1 when it took too long
 * (work still unfinished then is not lost: queued jobs go back to another
 * worker when their lock expires). Later signals are ignored.
 */
export function gracefulShutdown(options: GracefulShutdownOptions) {
  let shuttingDown = false;
  return {
    isShuttingDown: () => shuttingDown,
    async shutdown(signal: string): Promise<void> {
      if (shuttingDown) return;
      shuttingDown = true;
      options.logger.info({ signal }, `shutting down: finishing ${options.finishing}`);
      try {
        await withTimeout(options.stop(), options.timeoutMs);
        options.logger.info('shut down cleanly');
        options.exit(0);
      } catch (error) {
        options.logger.error({ err: error }, 'shutdown timed out');
        options.exit(1);
      }
    },
  };
}
