import { describe, expect, it } from 'vitest';
import { loadBaseModel } from './base-model.js';
import { classifierFinding } from './classifier-finding.js';
import { featuresOf } from './features.js';
import { emptyCounts, fitPlatt, learn, siteModel } from './model.js';

const author = { name: 'Reader' };
const scoreOf = (model: ReturnType<typeof loadBaseModel>, body: string) =>
  classifierFinding({ body, author }, model).weight;

describe('site learning', () => {
  it('scores a new comment like learned spam higher on the site model than on the base model', () => {
    const base = loadBaseModel();
    const site = emptyCounts();
    for (const body of [
      'Günstiger Kredit ohne Schufa, jetzt Sofortkredit beantragen',
      'Kredit trotz Schufa in 24 Stunden, sofort beantragen',
      'Sofortkredit ohne Schufa: heute beantragen, morgen Geld',
    ]) {
      learn(site, featuresOf({ body, author }), 'spam');
    }
    const probe = 'Schneller Kredit ohne Schufa, einfach online beantragen';
    expect(scoreOf(siteModel(base, site), probe)).toBeGreaterThan(scoreOf(base, probe) + 1);
  });

  it('scores a new comment like learned ham lower on the site model than on the base model', () => {
    const base = loadBaseModel();
    const site = emptyCounts();
    for (const body of [
      'Check out the new release notes, the subscribe button finally works',
      'Check out the migration guide, subscribe to the changelog feed',
      'Please check out the docs before you subscribe to the beta',
    ]) {
      learn(site, featuresOf({ body, author }), 'ham');
    }
    const probe = 'Check out the guide and subscribe to the feed';
    expect(scoreOf(siteModel(base, site), probe)).toBeLessThan(scoreOf(base, probe) - 1);
  });

  it('forgets a lesson when it is learned again with delta −1', () => {
    const counts = emptyCounts();
    const features = featuresOf({ body: 'Casino bonus now', author });
    learn(counts, features, 'spam');
    learn(counts, features, 'spam', -1);
    expect(counts.spamDocs).toBe(0);
    expect(counts.tokens.size).toBe(0);
  });
});

describe('featuresOf', () => {
  it('folds umlauts and ß so both spellings meet, and keeps tokens short', () => {
    const a = featuresOf({ body: 'Grüße aus München', author });
    const b = featuresOf({ body: 'Gruesse aus Muenchen', author });
    expect(a).toEqual(b);
    const long = featuresOf({
      body: `http://${'a'.repeat(100)}.example.com/x`,
      author: { name: 'x', url: `https://${'b'.repeat(80)}.de` },
    });
    for (const token of long) expect(token.length).toBeLessThanOrEqual(64);
  });

  it('emits link tokens for domains, shorteners and punycode', () => {
    const features = featuresOf({
      body: 'look http://bit.ly/x and xn--80ak6aa92e.com',
      author: { name: 'x', url: 'https://shop.example.co.uk/a' },
    });
    expect(features).toEqual(
      expect.arrayContaining(['d:bit.ly', 'd:~shortener', 'd:~idn', 'a:example.co.uk', 'u:links2']),
    );
  });
});

describe('the shipped model', () => {
  it('loads from the shipped data and is cached', () => {
    const model = loadBaseModel();
    // 586 + 552 YouTube comments and our own seed set of 72 + 72.
    expect(model.spamDocs).toBe(586 + 72);
    expect(model.hamDocs).toBe(552 + 72);
    expect(loadBaseModel()).toBe(model);
    expect(model.calibration.scale).toBeGreaterThan(0);
  });

  it('fits a calibration that maps a separating score to confident probabilities', () => {
    const points = [
      ...Array.from({ length: 50 }, (_, i) => ({ x: 1 + i / 10, y: 1 as const })),
      ...Array.from({ length: 50 }, (_, i) => ({ x: -1 - i / 10, y: 0 as const })),
    ];
    const { scale, bias } = fitPlatt(points);
    expect(scale).toBeGreaterThan(0);
    expect(Math.abs(bias)).toBeLessThan(0.5);
  });
});
