import { describe, expect, it } from 'vitest';
import { COMMENTER_TOKEN_MAX_TTL_S, signCommenterToken, verifyCommenterToken } from './commenter.js';

const SECRET = 'a-test-secret-a-test-secret-0123456789';
const claims = { sub: 'clara', iss: 'https://accounts.example', site: 'blog', name: 'Clara', provider: 'Google' };

function part(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8'));
}

describe('commenter tokens', () => {
  it('is a plain HS256 JWT carrying the claims, valid at most an hour', async () => {
    const token = await signCommenterToken(claims, SECRET, 10 * 3600, 1_000_000_000_000);
    expect(part(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(part(token, 1)).toEqual({ ...claims, iat: 1_000_000_000, exp: 1_000_000_000 + COMMENTER_TOKEN_MAX_TTL_S });
    expect(await verifyCommenterToken(token, SECRET, 'blog', 1_000_000_000_000)).toEqual({
      ok: true,
      claims: { ...claims, iat: 1_000_000_000, exp: 1_000_000_000 + COMMENTER_TOKEN_MAX_TTL_S },
    });
  });

  it('names what is wrong: another site, expiry, a forged signature, garbage or alg none', async () => {
    const token = await signCommenterToken(claims, SECRET, 60);
    expect(await verifyCommenterToken(token, SECRET, 'other')).toEqual({ ok: false, problem: 'site' });
    expect(await verifyCommenterToken(token, SECRET, 'blog', Date.now() + 61_000)).toEqual({
      ok: false,
      problem: 'expired',
    });
    expect(await verifyCommenterToken(token, `${SECRET}x`, 'blog')).toEqual({ ok: false, problem: 'signature' });
    expect(await verifyCommenterToken('not-a-token', SECRET, 'blog')).toEqual({ ok: false, problem: 'malformed' });
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.`;
    expect(await verifyCommenterToken(none, SECRET, 'blog')).toEqual({ ok: false, problem: 'malformed' });
  });

  it('refuses a signed token that lacks the claims a commenter needs', async () => {
    const { name: _name, ...nameless } = claims;
    const token = await signCommenterToken(nameless as typeof claims, SECRET);
    expect(await verifyCommenterToken(token, SECRET, 'blog')).toEqual({ ok: false, problem: 'malformed' });
  });
});
