import { describe, expect, it } from 'vitest';
import { extractLinks, siteOf } from './links.js';
import { normalizeBody, plainText } from './text.js';

describe('normalizeBody', () => {
  it('treats case, punctuation, markup and spacing changes as the same text', () => {
    expect(normalizeBody('Check out   MY channel!!!<br />')).toBe(normalizeBody('check out my channel'));
    expect(normalizeBody('Schöne Grüße')).toBe(normalizeBody('schoene gruesse'));
    expect(normalizeBody('I&#39;m here\ufeff')).toBe('i m here');
  });
});

describe('extractLinks', () => {
  it('finds links with a scheme, with www. and bare domains, but not version numbers', () => {
    const hosts = extractLinks('see https://Example.com/a, www.foo.de and murdev.com; version 2.0, e.g. this').map(
      (l) => l.host,
    );
    expect(hosts).toEqual(['example.com', 'www.foo.de', 'murdev.com']);
  });

  it('finds links hidden in HTML href attributes', () => {
    expect(extractLinks(plainText('<a href="http://spam.example.net/x">click</a>')).map((l) => l.host)).toEqual([
      'spam.example.net',
    ]);
  });
});

describe('siteOf', () => {
  it('keeps the registrable part of a host', () => {
    expect(siteOf('shop.example.co.uk')).toBe('example.co.uk');
    expect(siteOf('a.b.example.de')).toBe('example.de');
  });
});
