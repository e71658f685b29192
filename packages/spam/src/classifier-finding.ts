// The text classifier's opinion as one finding, in words a moderator understands.

import type { Finding } from './checks.js';
import { featuresOf, featuresOfPrepared } from './features.js';
import { type SpamModel, sigmoid, weigh } from './model.js';
import type { PreparedText } from './text.js';
import type { CommentCandidate } from './types.js';

/** The classifier as one finding, naming the tokens that weighed most in its direction. */
export function classifierFinding(
  candidate: Pick<CommentCandidate, 'body' | 'author'>,
  model: SpamModel,
  prepared?: PreparedText,
  features?: readonly string[],
): Finding {
  const evidence = weigh(
    model,
    features ?? (prepared ? featuresOfPrepared(candidate, prepared) : featuresOf(candidate)),
  );
  const percent = Math.round(100 * sigmoid(evidence.logOdds));
  const signs = (evidence.logOdds >= 0 ? evidence.spammiest : evidence.hammiest).map(([token]) => describeToken(token));
  const leaning = evidence.logOdds >= 0 ? 'spam-like' : 'like a real comment';
  const because = signs.length > 0 ? ` (strongest signs: ${[...new Set(signs)].join(', ')})` : '';
  return {
    check: 'classifier',
    weight: evidence.logOdds,
    detail: `The text classifier rates it ${evidence.logOdds >= 0 ? percent : 100 - percent}% ${leaning}${because}.`,
  };
}

const CONCEPTS: Record<string, string> = {
  'bare-link': 'a link with hardly any text',
  cta: 'a call to action ("check out", "subscribe", "schau dir … an")',
  promo: 'self-promotion ("my channel", "unser Shop")',
  money: 'money or offer words',
  praise: 'generic praise',
  'cta+link': 'a call to action with a link',
  'money+link': 'an offer with a link',
  'praise+site': 'generic praise from an author with a website',
  'commercial-url': 'a commercial-looking link',
};

/** Turns a feature token back into words a moderator understands. */
function describeToken(token: string): string {
  const value = token.slice(token.indexOf(':') + 1);
  switch (token.slice(0, token.indexOf(':'))) {
    case 'w':
    case 'b':
      return `"${value}"`;
    case 'g':
      return `"…${value.replace(/_/g, '')}…"`;
    case 'd':
      return value.startsWith('~') ? `a ${value.slice(1)} link` : `a link to ${value}`;
    case 'd.tld':
      return `a .${value} link`;
    case 'a':
      return value === 'url' ? 'an author website' : `the author website ${value}`;
    case 'a.tld':
      return `a .${value} author website`;
    case 'e':
      return `an email at ${value}`;
    case 'u':
      return value === 'link' ? 'a link' : 'several links';
    case 'c':
      return CONCEPTS[value] ?? value;
    default:
      return 'its length or form';
  }
}
