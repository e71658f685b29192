import { fileURLToPath } from 'node:url';

/** The repository root, from the sources (tsx) and from the bundle in dist/ alike (the build keeps this file's URL). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
