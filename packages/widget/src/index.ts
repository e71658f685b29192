/**
 * Node side of the widget package: where the built `/embed.js` lives and how
 * to build it. Nothing here is bundled into the browser script.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { css } from './browser/styles.js';

/** The most `/embed.js` may weigh gzipped, in bytes (12 KiB: live updates, votes, avatars, editing). */
export const EMBED_GZIP_BUDGET = 12 * 1024;

/** Absolute path of the built browser script, `packages/widget/dist/embed.js`. */
export const embedScriptPath: string = fileURLToPath(new URL('../dist/embed.js', import.meta.url));

// Relative to the package root so this also holds if index.ts is ever compiled into dist/.
const entryPoint = fileURLToPath(new URL('../src/browser/main.ts', import.meta.url));

export interface EmbedBuild {
  /** Where the script was written (`embedScriptPath`). */
  path: string;
  /** Minified size. */
  bytes: number;
  /** Size after gzip -9, the number the budget applies to. */
  gzipBytes: number;
}

/**
 * Bundles `src/browser/main.ts` into one minified ES2019 IIFE at
 * `embedScriptPath`. Throws, and leaves any previous build in place, when the
 * result is over `EMBED_GZIP_BUDGET`. The file is replaced atomically, so a
 * server may keep serving it while this runs.
 */
export async function buildEmbedScript(): Promise<EmbedBuild> {
  // Loaded lazily: importing embedScriptPath must not need esbuild (a dev dependency).
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2019'],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no output for embed.js');
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  if (gzipBytes > EMBED_GZIP_BUDGET) {
    throw new Error(`embed.js is ${gzipBytes} bytes gzipped (${code.length} raw), over the budget of ${EMBED_GZIP_BUDGET} bytes`);
  }
  await mkdir(dirname(embedScriptPath), { recursive: true });
  const tmp = `${embedScriptPath}.${randomUUID()}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, embedScriptPath);
  return { path: embedScriptPath, bytes: code.length, gzipBytes };
}

/**
 * A statement to serve in front of the built script so the widget posts to
 * `ingestUrl` (e.g. PUBLIC_INGEST_URL) instead of guessing "api origin, port
 * 8081". A page's own `window.STAMMTISCH_INGEST_URL` or `data-ingest` still wins.
 */
export function ingestUrlPrelude(ingestUrl: string): string {
  return `window.STAMMTISCH_INGEST_URL=window.STAMMTISCH_INGEST_URL||${JSON.stringify(ingestUrl.replace(/\/$/, ''))};\n`;
}

/** The built script's path, building it first when `dist/embed.js` is missing. */
export async function ensureEmbedScript(): Promise<string> {
  if (!existsSync(embedScriptPath)) await buildEmbedScript();
  return embedScriptPath;
}

/**
 * The CSP source that allows the widget's one stylesheet (a `<style>` in its
 * shadow root), for pages whose `style-src` has no `'unsafe-inline'`:
 * `style-src 'sha256-…'`. It changes whenever the widget's CSS does.
 */
export function embedStyleHashSource(): string {
  return `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
}

export { MODERATE_GZIP_BUDGET, buildModerateScript, ensureModerateScript, moderateScriptPath } from './moderate-build.js';
export { MODERATE_DEFAULT_LANGUAGE, type ModerateMessages, moderateLanguages, pickModerateLanguage } from './moderate/i18n/index.js';
