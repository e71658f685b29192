import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from './helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
const THREAD = '/2026/12/lang';
const threadPath = `/v1/sites/zip/threads/${encodeURIComponent(THREAD)}/comments`;

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
  await makeSite(ctx.db, { id: 'zip' });
  for (let i = 0; i < 20; i++)
    await makeComment(ctx.db, {
      siteId: 'zip',
      threadKey: THREAD,
      status: 'approved',
      body: `Kommentar ${i}: ein Satz, der sich gut packen lässt.`,
    });
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('/embed.js, compressed once', () => {
  it('answers brotli, gzip or plain as the browser accepts, with Vary and one weak validator', async () => {
    const plain = await api.request('/embed.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const script = await bytes(plain);
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i);

    const br = await api.request('/embed.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    const brBody = await bytes(br);
    expect(brotliDecompressSync(brBody).equals(script)).toBe(true);
    expect(Number(br.headers.get('content-length'))).toBe(brBody.length);

    const gz = await api.request('/embed.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const gzBody = await bytes(gz);
    expect(gunzipSync(gzBody).equals(script)).toBe(true);
    console.log(`/embed.js on the wire: ${script.length} bytes plain, ${gzBody.length} gzip, ${brBody.length} brotli`);
    expect(brBody.length).toBeLessThan(gzBody.length);

    const etag = br.headers.get('etag')!;
    expect(etag).toBe(gz.headers.get('etag'));
    expect(
      (await api.request('/embed.js', { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } })).status,
    ).toBe(304);
    expect(
      (await api.request('/embed.js', { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } })).headers.get(
        'content-encoding',
      ),
    ).toBeNull();
  });
});

describe('JSON and HTML answers', () => {
  it('compresses the thread read over 1 KiB and keeps ETag and 304 working in every encoding', async () => {
    const plain = await api.request(threadPath);
    const json = await plain.text();
    expect(json.length).toBeGreaterThan(1024);
    const etag = plain.headers.get('etag')!;

    for (const [accept, encoding, decode] of [
      ['br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      // Twice: the second comes from the compressed cache and must be the same bytes.
      for (let round = 0; round < 2; round++) {
        const res = await api.request(threadPath, { headers: { 'accept-encoding': accept } });
        expect(res.headers.get('content-encoding')).toBe(encoding);
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
        expect(decode(await bytes(res)).toString()).toBe(json);
      }
      const revalidated = await api.request(threadPath, {
        headers: { 'accept-encoding': accept, 'if-none-match': etag },
      });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe('');
    }
  });

  it('leaves small answers, event streams and non-2xx alone', async () => {
    const small = await api.request('/v1/sites/zip/counts?thread=%2Fnix', {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(small.status).toBe(200);
    expect(small.headers.get('content-encoding')).toBeNull();
    const missing = await api.request('/v1/sites/nope/threads/x/comments', {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-encoding')).toBeNull();
    const controller = new AbortController();
    const stream = await api.request('/v1/moderation/events', {
      headers: { 'accept-encoding': 'br, gzip', authorization: `Bearer ${ADMIN_KEY}` },
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('content-encoding')).toBeNull();
    await stream.body?.cancel();
    controller.abort();
  });

  it('compresses the moderation page and the OpenAPI document', async () => {
    const page = await api.request('/openapi.json', { headers: { 'accept-encoding': 'gzip' } });
    expect(page.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(await bytes(page)).toString()).openapi).toMatch(/^3\./);
    const css = await api.request('/moderate/app.css', { headers: { 'accept-encoding': 'br' } });
    expect(css.headers.get('content-encoding')).toBe('br');
  });
});
