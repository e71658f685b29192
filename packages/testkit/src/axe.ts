import type { AxeResults, ElementContext } from 'axe-core';

/**
 * The page's `window` once axe-core's script has been added to it: browser
 * tests call `(window as unknown as AxeWindow).axe.run(…)` inside `page.evaluate`.
 */
export type AxeWindow = { axe: { run: (context: ElementContext) => Promise<AxeResults> } };
