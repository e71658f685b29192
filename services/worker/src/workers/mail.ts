import { EmailJob } from '@stammtisch/contract';
import { EMAILS_QUEUE } from '@stammtisch/queue';
import { Worker } from 'bullmq';
import { Counter, type Registry } from 'prom-client';
import type { Mailer } from '@stammtisch/mail';
import { processEmail } from '../processors/email.js';
import { type JobWorkerDeps, jobWorkerOptions, logFailures, parseJob } from './job-worker.js';

/** Sends outgoing mail (confirmations, reply notifications, held-comment notices), counting by kind and result. */
export function createMailWorker(
  deps: JobWorkerDeps & { mailer: Mailer; publicApiUrl: string; registry?: Registry },
): Worker {
  const mailsTotal = new Counter({
    name: 'emails_total',
    help: 'Mail jobs, by kind and result',
    labelNames: ['kind', 'result'],
    registers: deps.registry ? [deps.registry] : [],
  });
  const worker = new Worker(
    EMAILS_QUEUE,
    async (job) => {
      const data = parseJob(EmailJob, job);
      const result = await processEmail({ db: deps.db, mailer: deps.mailer, publicApiUrl: deps.publicApiUrl }, data);
      mailsTotal.inc({ kind: data.kind, result });
      return result;
    },
    jobWorkerOptions(deps, 2),
  );
  // No SMTP error text in the log: it may quote an address.
  logFailures(worker, deps.logger, { errorNameOnly: true });
  return worker;
}
