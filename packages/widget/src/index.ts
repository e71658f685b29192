/**
 * Node side of the widget package: where the built `/embed.js` lives and how
 * to build it. Nothing here is bundled into the browser script.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WIDGET_INTERNAL_PROPS } from './browser/state.js';
import { css } from './browser/styles.js';
import { buildBrowserScript, type ScriptBuild } from './bundle.js';

/** The most `/embed.js` may weigh gzipped, in bytes (12 KiB: live updates, votes, avatars, editing). */
export const EMBED_GZIP_BUDGET = 12 * 1024;

/** Absolute path of the built browser script, `packages/widget/dist/embed.js`. */
export const embedScriptPath: string = fileURLToPath(new URL('../dist/embed.js', import.meta.url));

// Relative to the package root so this also holds if index.ts is ever compiled into dist/.
const entryPoint = fileURLToPath(new URL('../src/browser/main.ts', import.meta.url));

export type EmbedBuild = ScriptBuild;

/**
 * Bundles `src/browser/main.ts` into one minified ES2020 IIFE at
 * `embedScriptPath`. Throws, and leaves any previous build in place, when the
 * result is over `EMBED_GZIP_BUDGET`.
 */
export function buildEmbedScript(): Promise<EmbedBuild> {
  return buildBrowserScript({
    entryPoint,
    outPath: embedScriptPath,
    gzipBudget: EMBED_GZIP_BUDGET,
    target: 'es2020',
    mangleProps: WIDGET_INTERNAL_PROPS,
  });
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

export {
  MODERATE_GZIP_BUDGET,
  buildModerateScript,
  ensureModerateScript,
  moderateScriptPath,
} from './moderate-build.js';
export {
  MODERATE_DEFAULT_LANGUAGE,
  type ModerateMessages,
  moderateLanguages,
  pickModerateLanguage,
} from './moderate/i18n/index.js';
