/**
 * Node side of the moderation page's script (`/moderate/app.js`): built with
 * esbuild from `src/moderate/main.ts` like the widget, and size-checked.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildBrowserScript, type ScriptBuild } from './bundle.js';

/** The most `/moderate/app.js` may weigh gzipped, in bytes (12 KiB). */
export const MODERATE_GZIP_BUDGET = 12 * 1024;

/** Absolute path of the built script, `packages/widget/dist/moderate.js`. */
export const moderateScriptPath: string = fileURLToPath(new URL('../dist/moderate.js', import.meta.url));

const entryPoint = fileURLToPath(new URL('../src/moderate/main.ts', import.meta.url));

/**
 * Bundles the page's script into one minified IIFE at `moderateScriptPath`.
 * Throws, and leaves any previous build in place, when it is over the budget.
 */
export function buildModerateScript(): Promise<ScriptBuild> {
  // Moderators use current browsers; no need to lower syntax as far as the widget does.
  return buildBrowserScript({
    entryPoint,
    outPath: moderateScriptPath,
    gzipBudget: MODERATE_GZIP_BUDGET,
    target: 'es2020',
  });
}

/** The built script's path, building it first when `dist/moderate.js` is missing. */
export async function ensureModerateScript(): Promise<string> {
  if (!existsSync(moderateScriptPath)) await buildModerateScript();
  return moderateScriptPath;
}
