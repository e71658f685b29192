import type { ErrorBody } from './types.js';

/** Form fields, named as the inputs are. */
export type Field = 'name' | 'email' | 'url' | 'body';
export const FIELDS: Field[] = ['name', 'email', 'url', 'body'];

/** What went wrong, in terms the widget can tell its reader. */
export type Problem =
  | { kind: 'fields'; fields: Field[] }
  | { kind: 'rate'; seconds: number }
  | { kind: 'busy' | 'closed' | 'origin' | 'network' | 'site' | 'generic' };

const PATHS: Record<string, Field> = {
  author: 'name',
  'author.name': 'name',
  'author.email': 'email',
  'author.url': 'url',
  body: 'body',
};

/** Maps an HTTP error answer (status 0: no answer at all) to a Problem. */
export function classify(status: number, body: ErrorBody | null, retryAfter: string | null): Problem {
  const code = body?.error?.code;
  if (status === 0) return { kind: 'network' };
  if (status === 400 || status === 422) {
    const fields: Field[] = [];
    for (const detail of body?.error?.details ?? []) {
      const field = PATHS[String(detail.path).replace(/\//g, '.')];
      if (field && !fields.includes(field)) fields.push(field);
    }
    return fields.length ? { kind: 'fields', fields: FIELDS.filter((f) => fields.includes(f)) } : { kind: 'generic' };
  }
  if (status === 413) return { kind: 'fields', fields: ['body'] };
  if (status === 409 || code === 'thread_closed') return { kind: 'closed' };
  if (code === 'origin_not_allowed') return { kind: 'origin' };
  if (code === 'site_not_found') return { kind: 'site' };
  if (status === 429) return { kind: 'rate', seconds: retrySeconds(retryAfter) };
  if (status === 502 || status === 503 || status === 504) return { kind: 'busy' };
  return { kind: 'generic' };
}

/** `Retry-After` as seconds or an HTTP date; a minute when missing or unreadable. */
export function retrySeconds(header: string | null, now = Date.now()): number {
  if (header) {
    if (/^\d+$/.test(header.trim())) return Number(header);
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(1, Math.round((at - now) / 1000));
  }
  return 60;
}

export interface Draft {
  name: string;
  email: string;
  url: string;
  body: string;
  hp: string;
}

/** "anna.example" → "https://anna.example"; anything with a scheme stays as typed. */
export function normalizeUrl(value: string): string {
  const url = value.trim();
  return url && !/^[a-z][a-z\d+.-]*:/i.test(url) ? `https://${url}` : url;
}

export function isHttpUrl(value: string | null | undefined): value is string {
  try {
    return /^https?:$/.test(new URL(value ?? '').protocol);
  } catch {
    return false;
  }
}

/** The same limits the ingest schema applies, checked before sending. */
export function validate(draft: Draft): Field[] {
  const bad: Field[] = [];
  const name = [...draft.name.trim()].length;
  const body = [...draft.body.trim()].length;
  const email = draft.email.trim();
  if (!name || name > 80) bad.push('name');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) bad.push('email');
  if (draft.url.trim() && !isHttpUrl(normalizeUrl(draft.url))) bad.push('url');
  if (!body || body > 10000) bad.push('body');
  return bad;
}
