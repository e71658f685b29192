export * from './context.js';
export * from './services.js';
export * from './factories.js';
export * from './processes.js';
export * from './browser.js';
export * from './rows.js';
export type { AxeWindow } from './axe.js';
