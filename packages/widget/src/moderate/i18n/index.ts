import { de } from './de.js';
import { en } from './en.js';
import type { ModerateMessages } from './types.js';

export type { ModerateMessages } from './types.js';

/**
 * Every language the moderation page speaks, keyed by base language tag.
 * The first is the default when a browser asks for none of them: the first
 * users are German blogs. To add one, copy `en.ts`, translate it, add it here.
 */
export const moderateLanguages: Record<string, ModerateMessages> = { de, en };
export const MODERATE_DEFAULT_LANGUAGE = 'de';

/**
 * The language to answer in: the first supported base tag of an
 * `Accept-Language` header, by quality, else the default.
 */
export function pickModerateLanguage(acceptLanguage: string | undefined | null): string {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((w) => w.tag && Number.isFinite(w.q) && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return wanted.find((w) => w.tag in moderateLanguages)?.tag ?? MODERATE_DEFAULT_LANGUAGE;
}
