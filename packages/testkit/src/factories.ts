import { type DB, type ModerationMode, type SiteSettings, createSite } from '@stammtisch/db';

/** A site with sensible test defaults; override what the test is about. */
export async function makeSite(db: DB, overrides: { id?: string; origins?: string[]; moderation?: ModerationMode; settings?: SiteSettings } = {}) {
  return createSite(db, {
    id: overrides.id ?? `site-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Testblog',
    origins: overrides.origins ?? ['https://blog.example'],
    moderation: overrides.moderation ?? 'post',
    settings: overrides.settings ?? {},
  });
}

/** A valid comment request body; override what the test is about. */
export function commentBody(overrides: Record<string, unknown> = {}) {
  return {
    thread: { key: '/2012/03/kleine-fluchten', url: 'https://blog.example/2012/03/kleine-fluchten', title: 'Kleine Fluchten' },
    author: { name: 'Anna', email: 'anna@example.org' },
    body: 'Schöner Text, danke! Ich gehe morgen auch mal ohne Handy spazieren.',
    ...overrides,
  };
}
