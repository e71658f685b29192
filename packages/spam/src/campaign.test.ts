import { describe, expect, it } from 'vitest';
import { loadBaseModel } from './base-model.js';
import { campaignSignals, matchCampaign, similarity, textFingerprint } from './campaign.js';
import { classifyComment } from './classify.js';
import type { CampaignMatches } from './types.js';

const WAVE = [
  'Hey everyone, I just started my own crypto trading channel and I earn 500 dollars a day, check it out www.cryptoking.example',
  'Hey guys, I just started my own crypto trading channel and I earn 700 dollars a day, check it out www.cryptoking2.example',
  'Hi everyone!! I just started my new crypto trading channel and i earn 500 dollars per day. check it out: bit.ly/xyz',
];

describe('campaign fingerprints', () => {
  it('finds variants of one wave near each other and unrelated texts far apart', () => {
    const [a, b, c] = WAVE.map((w) => textFingerprint(w, w.match(/\S+\.example|bit\.ly\/\S+/g) ?? [])) as string[];
    expect(similarity(a as string, b as string)).toBeGreaterThanOrEqual(0.6);
    expect(similarity(a as string, c as string)).toBeGreaterThanOrEqual(0.6);
    const other = textFingerprint(
      'I love this song so much, it reminds me of the summer of 2012 when we were on holiday',
    ) as string;
    expect(similarity(a as string, other)).toBeLessThan(0.2);
    expect(textFingerprint('nice video, thanks')).toBeNull(); // too short to be a campaign
  });

  it('stores no text: every signal value is a hash or a fingerprint band', () => {
    const signals = campaignSignals({
      body: WAVE[0] as string,
      author: { name: 'Bob', email: 'bob@mail.example', url: 'https://bob.example' },
      ipHash: 'abc',
    });
    expect(new Set(signals.map((s) => s.kind))).toEqual(new Set(['text', 'domain', 'email', 'ip']));
    for (const s of signals) expect(s.value).not.toMatch(/crypto|bob|mail|example/i);
  });

  it('counts distinct sites per kind from stored rows', () => {
    const signals = campaignSignals({ body: WAVE[2] as string, author: { name: 'x' } });
    const stored = [WAVE[0], WAVE[1]].flatMap((body, i) =>
      campaignSignals({ body: body as string, author: { name: 'y' } }).map((s) => ({
        kind: s.kind,
        value: s.value,
        fingerprint: s.fingerprint ?? null,
        siteId: `site-${i}`,
      })),
    );
    expect(matchCampaign(signals, stored).textSites).toBe(2);
  });
});

describe('campaign evidence in the verdict', () => {
  const model = loadBaseModel();
  const verdict = (
    campaign: CampaignMatches,
    body = 'Ich habe bei Frau Lüders in Meppen zwölf Gartenzwerge gekauft, schaut mal bei zwergenwelt-meppen.example vorbei',
  ) =>
    classifyComment(
      { body, author: { name: 'Dieter' }, receivedAt: 0 },
      { settings: {}, model, mode: 'auto', context: { campaign } },
    );

  it('sends a near copy marked spam on two sites straight to spam, and says why', () => {
    const v = verdict({ textSites: 2, domains: [], emailSites: 0, ipSites: 0 });
    expect(v.outcome).toBe('spam');
    expect(v.reasons.find((r) => r.check === 'campaign')?.detail).toMatch(/marked spam by moderators on 2 sites/);
    expect(v.reasons.find((r) => r.check === 'policy')?.detail).toMatch(/campaign/);
  });

  it('does not send a linkless near copy from one site to spam by the campaign rule alone', () => {
    const v = verdict(
      { textSites: 1, domains: [], emailSites: 0, ipSites: 0 },
      'Ich habe bei Frau Lüders in Meppen zwölf Gartenzwerge gekauft, die schönsten weit und breit',
    );
    expect(v.reasons.some((r) => r.check === 'policy' && /campaign/.test(r.detail))).toBe(false);
  });
});

describe('German readers', () => {
  const model = loadBaseModel();
  it.each([
    'Schöner Artikel, danke!',
    'Danke für den Text, der Gedanke mit den kleinen Fluchten aus dem Alltag gefällt mir sehr.',
  ])('approves "%s" from a new author', (body) => {
    expect(
      classifyComment({ body, author: { name: 'Anna' }, receivedAt: 0 }, { settings: {}, model, mode: 'auto' }).outcome,
    ).toBe('approve');
  });
});
