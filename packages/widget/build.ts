import { buildEmbedScript, buildModerateScript, EMBED_GZIP_BUDGET, MODERATE_GZIP_BUDGET } from './src/index.js';

try {
  const { path, bytes, gzipBytes } = await buildEmbedScript();
  console.log(`${path}: ${bytes} bytes, ${gzipBytes} bytes gzipped (budget ${EMBED_GZIP_BUDGET})`);
  const moderate = await buildModerateScript();
  console.log(
    `${moderate.path}: ${moderate.bytes} bytes, ${moderate.gzipBytes} bytes gzipped (budget ${MODERATE_GZIP_BUDGET})`,
  );
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
