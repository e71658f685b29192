import { describe, expect, test } from 'vitest';
import { apiBaseFromScript, pickLanguage, resolveIngest, threadKeyOf } from './config.js';
import { classify, isHttpUrl, normalizeUrl, retrySeconds, validate } from './errors.js';
import { absTime, inTime, plural, relTime } from './format.js';
import { de } from './i18n/de.js';
import { en } from './i18n/en.js';
import { languages } from './i18n/index.js';
import { type Own, pruneOwn } from './storage.js';
import { buildTree } from './tree.js';

describe('where the widget talks to', () => {
  test('takes the api base from the script URL, keeping a path prefix', () => {
    expect(apiBaseFromScript('http://localhost:8080/embed.js', 'https://blog.example')).toBe('http://localhost:8080');
    expect(apiBaseFromScript('https://c.example/stammtisch/embed.js?v=3#x', 'https://blog.example')).toBe(
      'https://c.example/stammtisch',
    );
    expect(apiBaseFromScript('', 'https://blog.example')).toBe('https://blog.example');
  });

  test('uses the first explicit ingest URL, else the api origin on port 8081', () => {
    expect(resolveIngest([null, 'https://in.example/', 'https://global.example'], 'http://localhost:8080')).toBe(
      'https://in.example',
    );
    expect(resolveIngest([undefined, '', undefined], 'http://localhost:8080')).toBe('http://localhost:8081');
    expect(resolveIngest([], 'https://c.example/prefix')).toBe('https://c.example:8081');
  });

  test('keys the thread by data-thread, else the canonical path, else the page path', () => {
    expect(threadKeyOf('post-42', 'https://blog.example/a', '/b')).toBe('post-42');
    expect(threadKeyOf(null, 'https://blog.example/2012/03/kleine-fluchten?utm=x', '/b')).toBe(
      '/2012/03/kleine-fluchten',
    );
    expect(threadKeyOf(null, undefined, '/b')).toBe('/b');
  });
});

describe('language', () => {
  test('picks the first supported candidate, keeping its region for Intl', () => {
    expect(pickLanguage(['fr', 'de_AT', 'en'], languages)).toEqual({ key: 'de', tag: 'de-AT' });
    expect(pickLanguage([null, '', 'EN-gb'], languages)).toEqual({ key: 'en', tag: 'en-GB' });
    expect(pickLanguage(['xx', undefined], languages)).toEqual({ key: 'en', tag: 'en' });
  });

  test('every language defines every message', () => {
    for (const [name, messages] of Object.entries(languages)) {
      expect(Object.keys(messages).sort(), name).toEqual(Object.keys(en).sort());
      for (const value of Object.values(messages)) if (typeof value === 'string') expect(value, name).not.toBe('');
    }
  });

  test('German and English differ in every message', () => {
    const same = Object.keys(en).filter((k) => {
      const a = en[k as keyof typeof en];
      const b = de[k as keyof typeof de];
      return typeof a === 'function'
        ? (a as (x: string) => string)('X') === (b as (x: string) => string)('X')
        : JSON.stringify(a) === JSON.stringify(b);
    });
    expect(same).toEqual([]);
  });

  test('counts use plural rules and local number formats', () => {
    expect(plural(de.count, 1, 'de')).toBe('1 Kommentar');
    expect(plural(de.count, 0, 'de')).toBe('0 Kommentare');
    expect(plural(de.count, 1234, 'de')).toBe('1.234 Kommentare');
    expect(plural(en.count, 1, 'en')).toBe('1 comment');
    expect(plural(en.count, 2, 'en')).toBe('2 comments');
  });

  test('dates read relative, with the absolute date alongside', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(relTime('2026-11-27T11:59:50Z', now, 'de')).toBe('jetzt');
    expect(relTime('2026-11-27T11:10:00Z', now, 'de')).toBe('vor 50 Minuten');
    expect(relTime('2026-11-26T11:00:00Z', now, 'de')).toBe('gestern');
    expect(relTime('2026-11-24T12:00:00Z', now, 'en')).toBe('3 days ago');
    expect(relTime('2025-10-01T12:00:00Z', now, 'en')).toBe('last year');
    expect(absTime('2026-11-27T10:00:00Z', 'de')).toMatch(/^27\. November 2026 um \d\d:\d\d$/);
    expect(inTime(30, 'de')).toBe('in 30 Sekunden');
    expect(inTime(120, 'en')).toBe('in 2 minutes');
  });
});

describe('errors', () => {
  const body = (code: string, details?: { path: string; message: string }[]) => ({
    error: { code, message: 'x', details, requestId: 'req_1' },
  });

  test('maps validation details to form fields, in form order', () => {
    expect(
      classify(
        400,
        body('invalid_request', [
          { path: 'body', message: 'must not be empty' },
          { path: 'author.url', message: 'must be http(s)' },
          { path: 'author.name', message: 'too long' },
          { path: 'author.email', message: 'invalid' },
        ]),
        null,
      ),
    ).toEqual({ kind: 'fields', fields: ['name', 'email', 'url', 'body'] });
    expect(classify(400, body('invalid_request', [{ path: 'thread.key', message: 'too long' }]), null)).toEqual({
      kind: 'generic',
    });
    expect(classify(413, body('payload_too_large'), null)).toEqual({ kind: 'fields', fields: ['body'] });
  });

  test('names the other failures', () => {
    expect(classify(409, body('thread_closed'), null)).toEqual({ kind: 'closed' });
    expect(classify(403, body('origin_not_allowed'), null)).toEqual({ kind: 'origin' });
    expect(classify(404, body('site_not_found'), null)).toEqual({ kind: 'site' });
    expect(classify(429, body('rate_limited'), '30')).toEqual({ kind: 'rate', seconds: 30 });
    expect(classify(503, null, '5')).toEqual({ kind: 'busy' });
    expect(classify(500, null, null)).toEqual({ kind: 'generic' });
    expect(classify(0, null, null)).toEqual({ kind: 'network' });
  });

  test('reads Retry-After as seconds or a date, a minute when unreadable', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(retrySeconds('120', now)).toBe(120);
    expect(retrySeconds('Fri, 27 Nov 2026 12:00:45 GMT', now)).toBe(45);
    expect(retrySeconds(null, now)).toBe(60);
    expect(retrySeconds('soon', now)).toBe(60);
  });

  test('validates like ingest before sending', () => {
    const ok = { name: 'Anna', email: '', url: '', body: 'Hallo', hp: '' };
    expect(validate(ok)).toEqual([]);
    expect(validate({ ...ok, name: '   ', body: ' \n ' })).toEqual(['name', 'body']);
    expect(validate({ ...ok, name: 'x'.repeat(81) })).toEqual(['name']);
    expect(validate({ ...ok, name: '😀'.repeat(80) })).toEqual([]);
    expect(validate({ ...ok, email: 'anna' })).toEqual(['email']);
    expect(validate({ ...ok, url: 'javascript:alert(1)' })).toEqual(['url']);
    expect(validate({ ...ok, url: 'anna.example' })).toEqual([]);
    expect(validate({ ...ok, body: 'x'.repeat(10001) })).toEqual(['body']);
  });

  test('only http(s) author URLs count as links', () => {
    expect(normalizeUrl(' anna.example ')).toBe('https://anna.example');
    expect(normalizeUrl('http://anna.example')).toBe('http://anna.example');
    expect(isHttpUrl('https://anna.example')).toBe(true);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isHttpUrl('data:text/html,x')).toBe(false);
    expect(isHttpUrl(null)).toBe(false);
  });
});

describe('threads', () => {
  const c = (id: string, parentId: string | null = null) => ({ id, parentId });

  test('nests replies and flattens them below the fourth level', () => {
    const tree = buildTree([c('a'), c('b', 'a'), c('c', 'b'), c('d', 'c'), c('e', 'd'), c('f', 'e'), c('g')]);
    const shape = (nodes: typeof tree): unknown[] =>
      nodes.map((n) => [n.item.id, n.replyTo?.id ?? null, shape(n.children)]);
    expect(shape(tree)).toEqual([
      [
        'a',
        null,
        [
          [
            'b',
            null,
            [
              [
                'c',
                null,
                [
                  ['d', null, []],
                  ['e', 'd', []],
                  ['f', 'e', []],
                ],
              ],
            ],
          ],
        ],
      ],
      ['g', null, []],
    ]);
  });

  test('shows a reply whose parent is missing at the top level, and each id once', () => {
    const tree = buildTree([c('x', 'gone'), c('a'), c('a')]);
    expect(tree.map((n) => n.item.id)).toEqual(['x', 'a']);
  });
});

describe('own comments', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  const own = (id: string, extra: Partial<Own> = {}): Own => ({
    id,
    parentId: null,
    name: 'Anna',
    body: 'Hallo',
    createdAt: '2026-11-27T11:00:00Z',
    status: 'pending',
    ...extra,
  });

  test('are dropped once listed, an hour after approval, or after 30 days pending', () => {
    const kept = pruneOwn(
      [
        own('listed'),
        own('waiting'),
        own('old', { createdAt: '2026-10-01T00:00:00Z' }),
        own('fresh-ok', { status: 'approved', approvedAt: now - 60_000 }),
        own('stale-ok', { status: 'approved', approvedAt: now - 2 * 3600_000 }),
      ],
      (id) => id === 'listed',
      now,
    );
    expect(kept.map((o) => o.id)).toEqual(['waiting', 'fresh-ok']);
  });
});
