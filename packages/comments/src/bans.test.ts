import { describe, expect, it } from 'vitest';
import { type BanRule, banReason, findBan, identityBanKey, identityBanValue } from './bans.js';

const ban = (kind: BanRule['kind'], value: string, shadow = false): BanRule => ({ kind, value, shadow });
const subject = {
  body: 'Billige Kredite hier',
  email: 'Spam@Example.org',
  ipHashes: ['hash-1', null],
  identity: { issuer: 'https://idp', subject: 'x' },
};

describe('the ban policy', () => {
  it('matches email in any case, any of the IP hashes, the account, and a word anywhere in the text', () => {
    expect(findBan([ban('email', 'spam@example.ORG')], subject)?.kind).toBe('email');
    expect(findBan([ban('ip', 'hash-1')], subject)?.kind).toBe('ip');
    expect(findBan([ban('identity', 'https://idp|x')], subject)?.kind).toBe('identity');
    expect(findBan([ban('word', 'KREDIT')], subject)?.kind).toBe('word');
  });

  it('matches nothing that is not the comment', () => {
    const bans = [
      ban('email', 'other@example.org'),
      ban('ip', 'hash-2'),
      ban('identity', 'https://idp|y'),
      ban('word', 'casino'),
    ];
    expect(findBan(bans, subject)).toBeUndefined();
    expect(findBan([ban('email', '')], { body: 'x', ipHashes: [] })).toBeUndefined();
    expect(findBan([ban('identity', 'https://idp|x')], { body: 'x', ipHashes: [], identity: null })).toBeUndefined();
  });

  it('names the ban in the reason, and a shadow ban as one', () => {
    expect(banReason(ban('ip', 'h'))).toEqual({ check: 'ban', weight: 10, detail: 'Author is banned by ip' });
    expect(banReason(ban('email', 'e', true)).check).toBe('shadow_ban');
  });

  it('writes an account and the Redis set of banned accounts the same way for api and ingest', () => {
    expect(identityBanValue({ issuer: 'https://idp', subject: 'x' })).toBe('https://idp|x');
    expect(identityBanKey('st', 'blog')).toBe('st:identity-bans:blog');
  });
});
