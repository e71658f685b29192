// The declared HTTP routes and their building blocks (`@stammtisch/contract/http`), apart from the
// job shapes so the worker does not load @hono/zod-openapi.
export * from './ingest-routes.js';
export * from './openapi.js';
