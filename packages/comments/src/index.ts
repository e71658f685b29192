export * from './bans.js';
export * from './render.js';
export * from './tokens/commenter.js';
export * from './tokens/reader.js';
