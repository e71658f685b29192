// Disguised spam must score like its plain form: look-alike letters, invisible characters,
// full-width or mathematical letters, leetspeak and spaced-out words are undone before the
// features and checks see the text.

import { describe, expect, it } from 'vitest';
import { loadBaseModel } from './base-model.js';
import { classifyComment } from './classify.js';
import { normalizeBody } from './text.js';

const model = loadBaseModel();
const score = (body: string) =>
  classifyComment(
    { body, author: { name: 'x' }, receivedAt: 0 },
    { settings: { bannedWords: ['casino*'] }, model, mode: 'auto' },
  );

const PLAIN = 'Check out my channel and subscribe, I make free money with the casino bonus every day';
const DISGUISED: Record<string, string> = {
  homoglyphs: 'Сhеck оut my сhannеl and subsсribe, I make free mоney with the сasinо bоnus every day', // Cyrillic с е о
  'zero-width':
    'Che\u200bck o\u200cut my chan\u200dnel and sub\u2060scribe, I make fr\ufeffee mo\u00adney with the ca\u200bsino bonus every day',
  'full-width':
    'Ｃｈｅｃｋ ｏｕｔ my ｃｈａｎｎｅｌ and subscribe, I make free money with the ｃａｓｉｎｏ bonus every day',
  mathematical: '𝐂𝐡𝐞𝐜𝐤 𝐨𝐮𝐭 my channel and subscribe, I make free money with the 𝓬𝓪𝓼𝓲𝓷𝓸 bonus every day',
  leetspeak: 'Ch3ck 0ut my ch4nnel and sub5cribe, I m4ke free m0ney with the c@sino b0nus every day',
  spacing:
    'C h e c k  o u t my c.h.a.n.n.e.l and s-u-b-s-c-r-i-b-e, I make free money with the c a s i n o bonus every day',
};

describe('obfuscated variants', () => {
  const plain = score(PLAIN);

  for (const [trick, body] of Object.entries(DISGUISED)) {
    it(`scores ${trick} like the plain text`, () => {
      expect(normalizeBody(body)).toBe(normalizeBody(PLAIN));
      const disguised = score(body);
      expect(disguised.outcome).toBe(plain.outcome);
      expect(disguised.score).toBeCloseTo(plain.score, 2);
      // The banned word is found through the disguise too.
      expect(disguised.reasons.some((r) => r.check === 'banned-word')).toBe(true);
    });
  }

  it('leaves real Cyrillic, e-mail addresses, versions and abbreviations alone', () => {
    expect(normalizeBody('Привет, как дела?')).toBe('привет как дела');
    expect(normalizeBody('mail me: anna@example.org')).toBe('mail me anna example org');
    expect(normalizeBody('mp3 und covid19, z. B. so')).toBe('mp3 und covid19 z b so');
  });
});
