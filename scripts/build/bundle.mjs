// Bundles entry points into dist/<name>.js (ESM, Node 20+, source maps) with esbuild.
//
//   node scripts/build/bundle.mjs [--outdir DIR] [NAME=]ENTRY...   (paths relative to the current directory;
//                                                                  the output is DIR/NAME.js, NAME defaulting to the entry's)
//
// The workspace packages (@stammtisch/*) export their TypeScript sources, so they are
// bundled in; everything from node_modules stays external and is loaded by Node at run
// time, exactly as in development. Plain JavaScript so that building needs no tsx.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values, positionals } = parseArgs({
  options: { outdir: { type: 'string', default: 'dist' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error('usage: node scripts/build/bundle.mjs [--outdir DIR] ENTRY...');
  process.exit(2);
}
const outdir = path.resolve(values.outdir);
const entries = positionals.map((arg) => {
  const [name, file] = arg.includes('=') ? arg.split('=', 2) : [path.basename(arg).replace(/\.[^.]+$/, ''), arg];
  return { in: path.resolve(file), out: name };
});
const entryPoints = entries.map((entry) => entry.in);

/** Workspace packages are bundled; every other bare import (node_modules, node:*) stays external. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@stammtisch/') ? undefined : { path: args.path, external: true },
    );
  },
};

// Code that finds files next to its source (the spam data set, the widget's dist/embed.js,
// the demo page) uses import.meta.url. In a bundle that would be the bundle's URL, so in
// every bundled file but the entry it is replaced by the source file's own URL, computed
// relative to the bundle so a moved checkout (or the image's /app) still works.
const sourceUrls = {
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`) || entryPoints.includes(args.path)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      const contents = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

const started = performance.now();
const result = await build({
  entryPoints: entries,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
  plugins: [externals, sourceUrls],
  tsconfig: existsSync('tsconfig.json') ? 'tsconfig.json' : path.resolve(import.meta.dirname, '../../tsconfig.json'),
});
const outputs = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .map(([file, meta]) => `${path.relative(process.cwd(), file)} ${(meta.bytes / 1024).toFixed(0)} KiB`);
console.log(`built ${outputs.join(', ')} in ${Math.round(performance.now() - started)} ms`);
