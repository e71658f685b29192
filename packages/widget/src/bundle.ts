/**
 * The one esbuild step behind both browser scripts (`/embed.js` and
 * `/moderate/app.js`): bundle, minify, check the gzip budget, then replace the
 * file atomically so a server may keep serving the old one meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ScriptBuild {
  /** Where the script was written. */
  path: string;
  /** Minified size. */
  bytes: number;
  /** Size after gzip -9, the number the budget applies to. */
  gzipBytes: number;
}

export interface ScriptSpec {
  /** Absolute path of the TypeScript entry point. */
  entryPoint: string;
  /** Absolute path of the built file. */
  outPath: string;
  /** The most the result may weigh gzipped, in bytes. */
  gzipBudget: number;
  /** esbuild's syntax target, e.g. `es2020`. */
  target: string;
  /** Property names esbuild may shorten (internal state only: never names that travel in JSON, storage or the DOM). */
  mangleProps?: readonly string[];
}

/**
 * Bundles `spec.entryPoint` into one minified IIFE at `spec.outPath`. Throws,
 * and leaves any previous build in place, when the result is over the budget.
 */
export async function buildBrowserScript(spec: ScriptSpec): Promise<ScriptBuild> {
  // Loaded lazily: importing the package's paths must not need esbuild (a dev dependency).
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [spec.entryPoint],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: [spec.target],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    mangleProps: spec.mangleProps?.length ? new RegExp(`^(?:${spec.mangleProps.join('|')})$`) : undefined,
  });
  const name = spec.outPath.split('/').pop();
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced no output for ${name}`);
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  if (gzipBytes > spec.gzipBudget) {
    throw new Error(
      `${name} is ${gzipBytes} bytes gzipped (${code.length} raw), over the budget of ${spec.gzipBudget} bytes`,
    );
  }
  await mkdir(dirname(spec.outPath), { recursive: true });
  const tmp = `${spec.outPath}.${randomUUID()}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, spec.outPath);
  return { path: spec.outPath, bytes: code.length, gzipBytes };
}
