// `npm start`: build (turbo, so an unchanged tree takes a moment) when the build tools are
// installed, then run the compiled supervisor, dist/start.js, with node. On a server that has
// only the production dependencies, the build from the image or the checkout is used as it is.
// Plain JavaScript so that starting needs no tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const start = `${root}dist/start.js`;
let turbo;
try {
  turbo = createRequire(import.meta.url).resolve('turbo/bin/turbo');
} catch {
  turbo = undefined;
}
if (turbo) {
  const began = Date.now();
  const build = spawnSync(process.execPath, [turbo, 'run', 'build', 'build:start', '--output-logs=errors-only'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    console.error(
      `npm start: the build failed (npm run build shows the same); ${build.error?.message ?? 'see the lines above'}.`,
    );
    process.exit(1);
  }
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(build.stdout ?? '');
  console.log(
    `[start] Built in ${Date.now() - began} ms${cached ? ` (${cached[1]} of ${cached[2]} tasks from the cache)` : ''}.`,
  );
} else if (!existsSync(start)) {
  console.error(
    'npm start: dist/start.js is missing and the build tools are not installed: run `npm ci && npm run build` first.',
  );
  process.exit(1);
}
await import(pathToFileURL(start).href);
