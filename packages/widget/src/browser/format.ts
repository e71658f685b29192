/** Locale-aware formatting of counts and dates. Pure apart from Intl. */

/** Plural forms keyed by Intl.PluralRules category; `#` stands for the number. */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export function plural(forms: Plural, n: number, tag: string): string {
  const form = forms[new Intl.PluralRules(tag).select(n)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(tag).format(n));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31536000],
  ['month', 2592000],
  ['week', 604800],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

// Intl formatters cost far more to make than to use: one per kind and language, so a page of
// fifty comments does not build a hundred of them.
const made: Record<string, Intl.RelativeTimeFormat & Intl.DateTimeFormat> = {};
function cached<T>(key: string, make: () => T): T {
  made[key] ??= make() as never;
  return made[key] as T;
}

/** "vor 3 Tagen", "3 days ago", "now"; the absolute date where RelativeTimeFormat is missing. */
export function relTime(iso: string, now: number, tag: string): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (typeof Intl.RelativeTimeFormat !== 'function') return absTime(iso, tag);
  const rtf = cached(`r${tag}`, () => new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }));
  if (Math.abs(seconds) < 45) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size * (unit === 'minute' ? 0.75 : 1)) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, 'second');
}

/** "27. November 2026 um 10:00" / "November 27, 2026 at 10:00 AM". */
export function absTime(iso: string, tag: string): string {
  return cached(`d${tag}`, () => new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short' })).format(
    new Date(iso),
  );
}

/** "in 30 Sekunden", "in 2 minutes": when a rate-limited writer may try again. */
export function inTime(seconds: number, tag: string): string {
  const rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'always' });
  if (seconds < 90) return rtf.format(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 5400) return rtf.format(Math.ceil(seconds / 60), 'minute');
  return rtf.format(Math.ceil(seconds / 3600), 'hour');
}
