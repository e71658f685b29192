import { de } from './de.js';
import { en } from './en.js';
import type { Messages } from './types.js';

export type { Messages } from './types.js';

/**
 * Every language the widget speaks, keyed by base language tag. To add one,
 * copy `en.ts` to `<tag>.ts`, translate it and add it here.
 */
export const languages: Record<string, Messages> = { de, en };
