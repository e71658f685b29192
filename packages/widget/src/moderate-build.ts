/**
 * Node side of the moderation page's script (`/moderate/app.js`): built with
 * esbuild from `src/moderate/main.ts` like the widget, and size-checked.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The most `/moderate/app.js` may weigh gzipped, in bytes (12 KiB). */
export const MODERATE_GZIP_BUDGET = 12 * 1024;

/** Absolute path of the built script, `packages/widget/dist/moderate.js`. */
export const moderateScriptPath: string = fileURLToPath(new URL('../dist/moderate.js', import.meta.url));

const entryPoint = fileURLToPath(new URL('../src/moderate/main.ts', import.meta.url));

/**
 * Bundles the page's script into one minified IIFE at `moderateScriptPath`.
 * Throws, and leaves any previous build in place, when it is over the budget.
 * The file is replaced atomically, so a server may keep serving it meanwhile.
 */
export async function buildModerateScript(): Promise<{ path: string; bytes: number; gzipBytes: number }> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    // Moderators use current browsers; no need to lower syntax as far as the widget does.
    target: ['es2020'],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no output for moderate.js');
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  if (gzipBytes > MODERATE_GZIP_BUDGET) {
    throw new Error(`moderate.js is ${gzipBytes} bytes gzipped (${code.length} raw), over the budget of ${MODERATE_GZIP_BUDGET} bytes`);
  }
  await mkdir(dirname(moderateScriptPath), { recursive: true });
  const tmp = `${moderateScriptPath}.${randomUUID()}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, moderateScriptPath);
  return { path: moderateScriptPath, bytes: code.length, gzipBytes };
}

/** The built script's path, building it first when `dist/moderate.js` is missing. */
export async function ensureModerateScript(): Promise<string> {
  if (!existsSync(moderateScriptPath)) await buildModerateScript();
  return moderateScriptPath;
}
