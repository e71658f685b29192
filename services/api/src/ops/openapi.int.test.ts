import { Validator } from '@seriousme/openapi-schema-validator';
import { INGEST_ROUTES } from '@stammtisch/contract/http';
import { type TestContext, createTestContext } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
  // Closing a connection that is still connecting fails; these tests are quick.
  await api.queue.waitUntilReady();
});

afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

interface Doc {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<
      string,
      {
        summary: string;
        parameters?: Array<{ name: string; in: string }>;
        requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
        servers?: Array<{ url: string }>;
        operationId?: string;
        responses: Record<string, unknown>;
      }
    >
  >;
  components: { schemas: Record<string, { type?: string; properties?: Record<string, unknown> }> };
}

/** Every operation API.md names, as method and OpenAPI path. */
const CONTRACT = [
  'post /v1/sites/{siteId}/comments',
  'post /v1/sites/{siteId}/comments/{id}/reports',
  'get /v1/sites/{siteId}/threads/{threadKey}/comments',
  'get /v1/sites/{siteId}/threads/{threadKey}/comments.html',
  'get /v1/sites/{siteId}/threads/{threadKey}/comments.atom',
  'get /v1/sites/{siteId}/counts',
  'get /v1/sites/{siteId}/comments/{id}',
  'get /embed.js',
  'get /v1/moderation/queue',
  'post /v1/moderation/comments/{id}/decision',
  'post /v1/moderation/decisions',
  'get /v1/moderation/audit',
  'get /v1/moderation/bans',
  'post /v1/moderation/bans',
  'delete /v1/moderation/bans/{id}',
  'post /v1/admin/sites',
  'get /v1/admin/sites',
  'get /v1/admin/sites/{id}',
  'patch /v1/admin/sites/{id}',
  'delete /v1/admin/sites/{id}',
  'post /v1/admin/sites/{id}/keys',
  'delete /v1/admin/keys/{keyId}',
  'get /v1/admin/sites/{id}/stats',
  'post /v1/admin/sites/{id}/webhooks',
  'get /v1/admin/sites/{id}/webhooks',
  'delete /v1/admin/webhooks/{id}',
  'get /v1/admin/sites/{id}/export',
  'post /v1/admin/sites/{id}/import',
  'post /v1/admin/sites/{id}/identity-providers',
  'get /v1/admin/sites/{id}/identity-providers',
  'delete /v1/admin/sites/{id}/identity-providers/{providerId}',
  'get /v1/sites/{siteId}/auth/{providerId}/start',
  'get /v1/auth/callback',
  'get /moderate',
  'get /healthz',
  'get /readyz',
  'get /metrics',
];

describe('API reference', () => {
  test('/openapi.json is an OpenAPI 3.1 document with every operation of the contract', async () => {
    const res = await api.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    for (const operation of CONTRACT) expect(operations).toContain(operation);
  });

  test('request schemas come from the zod schemas the routes validate with', async () => {
    const doc = (await (await api.request('/openapi.json')).json()) as Doc;
    const write = doc.paths['/v1/sites/{siteId}/comments']!.post!;
    // Served by ingest, not the api.
    expect(write.servers?.[0]?.url).toBe('http://localhost:8081');
    expect(write.requestBody?.content['application/json']?.schema?.$ref).toBe('#/components/schemas/NewCommentRequest');
    const comment = doc.components.schemas.NewCommentRequest as {
      properties: Record<string, { properties?: Record<string, { maxLength?: number }>; maxLength?: number }>;
      required: string[];
    };
    expect(comment.required).toEqual(expect.arrayContaining(['thread', 'author', 'body']));
    expect(comment.properties.body!.maxLength).toBe(10_000);
    expect(comment.properties.thread!.properties!.key!.maxLength).toBe(512);
    expect(doc.components.schemas.CreateSiteRequest!.properties).toHaveProperty(
      'moderation',
      expect.objectContaining({ enum: ['auto', 'pre', 'post'] }),
    );

    const read = doc.paths['/v1/sites/{siteId}/threads/{threadKey}/comments']!.get!;
    expect(read.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:siteId',
      'path:threadKey',
      'query:sort',
      'query:limit',
      'query:cursor',
    ]);
    const imports = doc.paths['/v1/admin/sites/{id}/import']!.post!;
    expect(Object.keys(imports.requestBody!.content)).toEqual(['application/xml', 'text/xml', 'application/x-ndjson']);
    expect(imports.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:format',
      'query:strict',
      'query:dryRun',
      'query:threadKey',
      'query:types',
    ]);

    // Every reference points at a schema that is there.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const ref of new Set(refs)) expect(doc.components.schemas).toHaveProperty(ref);
  });

  test('/docs is Swagger UI on /openapi.json with every asset served here (no CDN) under a CSP that allows only this origin', async () => {
    const res = await api.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('/swagger-ui-bundle.js'))).toBe(true);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/i);
    expect(html).not.toMatch(/<script>(?!<)/);
    for (const asset of assets.filter((a) => a.startsWith('/docs/'))) {
      const file = await api.request(asset);
      expect(file.status, asset).toBe(200);
      expect(file.headers.get('cache-control')).toContain('immutable');
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const init = await (await api.request(assets.find((a) => a.endsWith('/init.js'))!)).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
    expect((await api.request('/docs/assets/0.0.0/swagger-ui-bundle.js')).status).toBe(404);
    expect((await api.request(assets[0]!.replace(/[^/]+$/, 'package.json'))).status).toBe(404);
  });
});

describe('API reference coverage', () => {
  test('/openapi.json passes a standard OpenAPI 3.1 validator', async () => {
    const doc = await (await api.request('/openapi.json')).json();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  test('operationIds stay what links into /docs use, one per operation', async () => {
    const doc = (await (await api.request('/openapi.json')).json()) as Doc;
    expect(doc.paths['/v1/sites/{siteId}/threads/{threadKey}/comments']!.get!.operationId).toBe(
      'getV1SitesBySiteIdThreadsByThreadKeyComments',
    );
    expect(doc.paths['/v1/sites/{siteId}/comments']!.post!.operationId).toBe('postV1SitesBySiteIdComments');
    expect(doc.paths['/embed.js']!.get!.operationId).toBe('getEmbedJs');
    const ids = Object.values(doc.paths).flatMap((operations) =>
      Object.values(operations).map((operation) => operation.operationId),
    );
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('documents every route the api mounts, and every public write ingest serves', async () => {
    // With commenter sign-in on, so its routes are mounted too.
    const full = buildApi(ctx, {
      identity: {
        redis: ctx.redis,
        redisPrefix: ctx.redisPrefix,
        tokenSecret: 't'.repeat(32),
        secretKey: 'k'.repeat(32),
      },
    });
    await full.queue.waitUntilReady();
    const doc = (await (await full.request('/openapi.json')).json()) as Doc;
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const served = full.app.routes
      // Middleware (ALL), CORS preflights, and the Bull Board's own UI and JSON API (a third-party app; its entry page is documented).
      .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS' && !r.path.startsWith('/admin/queues/'))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(60);
    const missing = [...new Set(served)].filter((route) => !documented.has(route));
    expect(missing).toEqual([]);

    for (const route of INGEST_ROUTES) {
      const operation = doc.paths[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation!.servers?.[0]?.url).toBe('http://localhost:8081');
    }
    await full.close();
  });
});
