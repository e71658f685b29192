import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { identityBanKey, signCommenterToken } from '@stammtisch/comments';
import { CommentJob } from '@stammtisch/contract';
import { COMMENTS_QUEUE, createBatchingProducer, createProducerConnection } from '@stammtisch/queue';
import { type TestContext, commentBody, createTestContext, makeSite } from '@stammtisch/testkit';
import { createSiteCache } from '@stammtisch/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

const SECRET = 'test-commenter-token-secret-0123456789abcdef';
const ISSUER = 'https://accounts.example';
let ctx: TestContext;
let queue: Queue;
let producerRedis: Redis;
let app: ReturnType<typeof createApp>;

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'clara',
  iss: ISSUER,
  site: 'blog',
  name: 'Clara Beispiel',
  provider: 'Google',
  ...overrides,
});

function post(token: string | undefined, siteId = 'blog', body: unknown = commentBody()) {
  return app.request(`/v1/sites/${siteId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
}

async function expectInvalidToken(res: Response, message: RegExp) {
  expect(res.status).toBe(401);
  const body = await res.json();
  expect(body.error.code).toBe('invalid_token');
  expect(body.error.message).toMatch(message);
}

beforeAll(async () => {
  ctx = await createTestContext();
  producerRedis = createProducerConnection(ctx.redisUrl);
  queue = new Queue(COMMENTS_QUEUE, { connection: producerRedis, prefix: ctx.redisPrefix });
  await makeSite(ctx.db, { id: 'blog', origins: ['https://blog.example'], settings: { requireEmail: true } });
  await makeSite(ctx.db, { id: 'other', origins: ['https://other.example'] });
  app = createApp({
    redis: producerRedis,
    producer: createBatchingProducer(queue),
    siteCache: createSiteCache(ctx.db),
    logger: createLogger({ service: 'ingest-test', level: 'silent' }),
    registry: createMetricsRegistry('ingest-test'),
    readiness: [],
    keyPrefix: ctx.redisPrefix,
    rateLimitPerMinute: 1000,
    trustProxy: true,
    ipHashSecret: 'test-secret-test-secret',
    commenterTokenSecret: SECRET,
  });
});

afterAll(async () => {
  await queue.close();
  await producerRedis.quit();
  await ctx.cleanup();
});

describe('commenter tokens at ingest', () => {
  it('puts the verified identity on the job, and a signed-in reader needs no email', async () => {
    const token = await signCommenterToken({ ...claims(), url: 'https://clara.example/' }, SECRET);
    const res = await post(token, 'blog', commentBody({ author: { name: 'Somebody Else' } }));
    expect(res.status).toBe(202);
    const job = CommentJob.parse((await queue.getJob((await res.json()).id))!.data);
    expect(job.identity).toEqual({
      provider: 'Google',
      issuer: ISSUER,
      subject: 'clara',
      name: 'Clara Beispiel',
      url: 'https://clara.example/',
    });
  });

  it('accepts a standard HS256 JWT made by another JOSE library with the shared secret', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
    expect((await post(token)).status).toBe(202);
  });

  it('refuses a tampered token with 401 invalid_token', async () => {
    const [header, , signature] = (await signCommenterToken(claims(), SECRET)).split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claims({ name: 'Admin' }), iat: 1, exp: 4_000_000_000 }),
    ).toString('base64url');
    await expectInvalidToken(await post(`${header}.${forgedPayload}.${signature}`), /forged/);
  });

  it('refuses a token signed with another secret, an unsigned (alg none) token and garbage', async () => {
    await expectInvalidToken(
      await post(await signCommenterToken(claims(), 'another-secret-another-secret-0123456789')),
      /forged/,
    );
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims(), exp: 4_000_000_000 })).toString('base64url')}.`;
    await expectInvalidToken(await post(none), /not a token/);
    await expectInvalidToken(await post('not-a-token'), /not a token/);
  });

  it('refuses an expired token', async () => {
    const expired = await signCommenterToken(claims(), SECRET, 60, Date.now() - 2 * 3600_000);
    await expectInvalidToken(await post(expired), /expired/);
  });

  it('refuses a token issued for another site', async () => {
    await expectInvalidToken(await post(await signCommenterToken(claims({ site: 'other' }), SECRET)), /another site/);
    await expectInvalidToken(await post(await signCommenterToken(claims(), SECRET), 'other'), /another site/);
  });

  it('refuses a banned identity with 403 forbidden and a clear message, and takes it again once unbanned', async () => {
    const token = await signCommenterToken(claims({ sub: 'mallory' }), SECRET);
    const key = identityBanKey(ctx.redisPrefix, 'blog');
    await ctx.redis.sadd(key, `${ISSUER}|mallory`);
    const res = await post(token);
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error).toMatchObject({
      code: 'forbidden',
      message: 'this account is banned from commenting on this site',
    });
    await ctx.redis.srem(key, `${ISSUER}|mallory`);
    expect((await post(token)).status).toBe(202);
  });

  it('keeps anonymous comments working without a token', async () => {
    expect((await post(undefined)).status).toBe(202);
  });
});
