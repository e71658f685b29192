export * from './context.js';
export { isPortOpen } from '@stammtisch/http/port-probe';
export * from './factories.js';
export * from './processes.js';
export * from './browser.js';
export * from './rows.js';
export type { AxeWindow } from './axe.js';
