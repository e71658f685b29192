import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { buildEmbedScript, EMBED_GZIP_BUDGET, embedScriptPath } from '../src/index.js';

test('builds one minified IIFE at embedScriptPath within the 12 KiB gzip budget', { timeout: 60_000 }, async () => {
  const result = await buildEmbedScript();
  console.log(
    `embed.js: ${result.bytes} bytes minified, ${result.gzipBytes} bytes gzipped (budget ${EMBED_GZIP_BUDGET})`,
  );

  expect(result.path).toBe(embedScriptPath);
  expect(embedScriptPath).toMatch(/packages\/widget\/dist\/embed\.js$/);
  expect(result.gzipBytes).toBeLessThanOrEqual(EMBED_GZIP_BUDGET);
  const code = await readFile(embedScriptPath);
  expect(code.length).toBe(result.bytes);
  expect(gzipSync(code, { level: 9 }).length).toBe(result.gzipBytes);
  expect((await stat(embedScriptPath)).size).toBe(result.bytes);

  const text = code.toString('utf8');
  expect(text).toMatch(/^("use strict";)?\(\(\)=>\{/);
  // No Node code and no build-side imports leak into the browser bundle.
  expect(text).not.toMatch(/\bimport\(|\brequire\(|["']node:|esbuild|import\.meta/);
  // ES2020 (Chrome 80, Firefox 74, Safari 13.1): later syntax such as logical assignment is compiled away.
  expect(text).not.toMatch(/\?\?=|\|\|=|&&=/);
});
