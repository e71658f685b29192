import { type DB, oldestPendingPerSite } from '@stammtisch/db';
import type { Logger } from '@stammtisch/http';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DecisionResult } from './decide.js';

/**
 * Moderation health per site, as Prometheus metrics: how old the oldest held
 * comment is (read from Postgres at scrape time, so every api process reports
 * the same truth), how long comments wait for a decision, and how often
 * moderators overturn the spam stage.
 */
export function moderationMetrics(registry: Registry, db: DB, logger?: Logger) {
  new Gauge({
    name: 'stammtisch_moderation_oldest_pending_age_seconds',
    help: 'Age of the oldest comment held for moderation, per site',
    labelNames: ['site'],
    registers: [registry],
    async collect() {
      this.reset();
      // A failed read leaves the gauge empty for this scrape; the next scrape tries again.
      const rows = await oldestPendingPerSite(db).catch((error) => {
        logger?.warn({ err: error }, 'metrics: could not read the oldest held comments');
        return [];
      });
      for (const row of rows) this.set({ site: row.siteId }, Math.max(0, (Date.now() - row.oldest.getTime()) / 1000));
    },
  });
  const timeToDecision = new Histogram({
    name: 'stammtisch_moderation_time_to_decision_seconds',
    help: 'From a comment being written to a moderator deciding it, per site',
    labelNames: ['site'],
    buckets: [60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400],
    registers: [registry],
  });
  const overturned = new Counter({
    name: 'stammtisch_moderation_overturned_total',
    help: 'Moderator decisions that overturn the spam stage: approved_after_spam, spam_after_approve',
    labelNames: ['site', 'kind'],
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'stammtisch_moderation_decisions_total',
    help: 'Moderator decisions by action (approve, reject, spam, undo)',
    labelNames: ['site', 'action'],
    registers: [registry],
  });

  return function recordDecisions(results: DecisionResult[], now = Date.now()) {
    for (const r of results) {
      decisions.inc({ site: r.siteId, action: r.action });
      if (r.action === 'undo') continue;
      // Only first decisions on held or spam-filed comments measure how long readers wait.
      if (r.from === 'pending' || r.from === 'spam')
        timeToDecision.observe({ site: r.siteId }, Math.max(0, (now - r.commentCreatedAt.getTime()) / 1000));
      if (r.from === 'spam' && r.to === 'approved') overturned.inc({ site: r.siteId, kind: 'approved_after_spam' });
      if (r.from === 'approved' && r.to === 'spam') overturned.inc({ site: r.siteId, kind: 'spam_after_approve' });
    }
  };
}
export type RecordDecisions = ReturnType<typeof moderationMetrics>;
