import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  /** Without it the mail is plain text. */
  html?: string;
  headers?: Record<string, string>;
}

/** What the mailer logs (a pino logger is one). */
export interface MailLogger {
  debug(details: object, message: string): void;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer, configured by one URL (smtp://user:pass@host:587,
 * smtps://… for implicit TLS). Returns null when no URL is configured: mail
 * is off, which the caller logs once.
 */
export function createMailer(options: { smtpUrl?: string; from: string; logger: MailLogger }): Mailer | null {
  if (!options.smtpUrl) return null;
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      // The message id only: recipients' addresses never go to the log.
      options.logger.debug({ messageId: info.messageId }, 'mail sent');
    },
    close() {
      transport.close();
    },
  };
}
