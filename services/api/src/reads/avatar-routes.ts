import { TAGS } from '@stammtisch/contract/http';
import { AppError, openApiRouter } from '@stammtisch/http';
import { routes } from '../shared/routes.js';

const avatarRoute = routes(TAGS.reads).get(
  '/v1/avatars/{file}',
  "An author's avatar (identicon or initials), made locally",
  {
    description:
      "`{file}` is `<key>.svg`, the key a keyed hash from the comment's `author.avatar`; `?i=` gives initials.",
    answers: { 200: 'SVG', 404: 'not_found' },
    produces: ['image/svg+xml'],
  },
);

/**
 * `GET /v1/avatars/{key}.svg`: an author's avatar, made here from the keyed
 * hash in its name (no third-party request, nothing about the author in
 * it): a symmetric 5×5 identicon, or the initials given in `?i=` on a
 * colour from the hash.
 */
export function avatarRoutes() {
  const app = openApiRouter();
  app.openapi(avatarRoute, (c) => {
    const match = /^([0-9a-f]{32})\.svg$/.exec(c.req.valid('param').file);
    if (!match) throw new AppError('not_found', 'no such avatar');
    const initials = [...(c.req.query('i') ?? '')]
      .filter((ch) => /[\p{L}\p{N}]/u.test(ch))
      .slice(0, 2)
      .join('');
    c.header('Content-Type', 'image/svg+xml');
    // The picture of a key never changes.
    c.header('Cache-Control', 'public, max-age=604800, immutable');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    return c.body(initials ? initialsSvg(match[1]!, initials) : identiconSvg(match[1]!));
  });
  return app;
}

function hueOf(key: string): number {
  return Number.parseInt(key.slice(0, 4), 16) % 360;
}

export function identiconSvg(key: string): string {
  const bits = BigInt(`0x${key.slice(4, 12)}`);
  let cells = '';
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 3; col++) {
      if (((bits >> BigInt(row * 3 + col)) & 1n) === 0n) continue;
      for (const x of new Set([col, 4 - col])) cells += `<rect x="${x + 0.5}" y="${row + 0.5}" width="1" height="1"/>`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 6 6" width="40" height="40"><rect width="6" height="6" fill="#f0f0f0"/><g fill="hsl(${hueOf(key)},55%,45%)">${cells}</g></svg>`;
}

export function initialsSvg(key: string, initials: string): string {
  const text = initials.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40"><rect width="40" height="40" fill="hsl(${hueOf(key)},45%,40%)"/><text x="20" y="25.5" font-family="system-ui,sans-serif" font-size="16" fill="#fff" text-anchor="middle">${text}</text></svg>`;
}
