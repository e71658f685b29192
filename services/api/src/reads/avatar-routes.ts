import { TAGS } from '@stammtisch/contract/http';
import { AppError, openApiRouter } from '@stammtisch/http';
import { LRUCache } from 'lru-cache';
import { PNG } from 'pngjs';
import { routes } from '../shared/routes.js';

const avatarRoute = routes(TAGS.reads).get(
  '/v1/avatars/{file}',
  "An author's avatar (identicon or initials), made locally",
  {
    description:
      '`{file}` is `<key>.png` (the identicon) or `<key>.svg` (the identicon, or initials with `?i=`), the key a ' +
      "keyed hash from the comment's `author.avatar`.",
    answers: { 200: 'PNG or SVG', 404: 'not_found' },
    produces: ['image/png', 'image/svg+xml'],
  },
);

/**
 * `GET /v1/avatars/{key}.png|svg`: an author's avatar, made here from the
 * keyed hash in its name (no third-party request, nothing about the author in
 * it): a symmetric 5×5 identicon, or (SVG only) the initials given in `?i=`
 * on a colour from the hash. Comments link the PNG: a browser keeps every
 * distinct SVG image as a document of its own, which made garbage collection
 * pause a page of thousands of comments for 50 ms and more.
 */
export function avatarRoutes() {
  const app = openApiRouter();
  // Encoding one PNG takes 0.5–1 ms; every new reader of a thread asks for all its avatars.
  // 10,000 of them hold about 2.6 MB.
  const pngs = new LRUCache<string, Uint8Array<ArrayBuffer>>({ max: 10_000 });
  app.openapi(avatarRoute, (c) => {
    const match = /^([0-9a-f]{32})\.(svg|png)$/.exec(c.req.valid('param').file);
    if (!match) throw new AppError('not_found', 'no such avatar');
    const key = match[1]!;
    // The picture of a key never changes.
    c.header('Cache-Control', 'public, max-age=604800, immutable');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    if (match[2] === 'png') {
      c.header('Content-Type', 'image/png');
      let png = pngs.get(key);
      if (!png) pngs.set(key, (png = new Uint8Array(identiconPng(key))));
      return c.body(png);
    }
    const initials = [...(c.req.query('i') ?? '')]
      .filter((ch) => /[\p{L}\p{N}]/u.test(ch))
      .slice(0, 2)
      .join('');
    c.header('Content-Type', 'image/svg+xml');
    return c.body(initials ? initialsSvg(key, initials) : identiconSvg(key));
  });
  return app;
}

function hueOf(key: string): number {
  return Number.parseInt(key.slice(0, 4), 16) % 360;
}

/** The filled cells of a key's identicon: 15 bits of the hash for the left half and the middle, mirrored. */
function identiconCells(key: string): [x: number, y: number][] {
  const bits = BigInt(`0x${key.slice(4, 12)}`);
  const cells: [number, number][] = [];
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 3; col++) {
      if (((bits >> BigInt(row * 3 + col)) & 1n) === 0n) continue;
      for (const x of new Set([col, 4 - col])) cells.push([x, row]);
    }
  }
  return cells;
}

export function identiconSvg(key: string): string {
  const cells = identiconCells(key)
    .map(([x, y]) => `<rect x="${x + 0.5}" y="${y + 0.5}" width="1" height="1"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 6 6" width="40" height="40"><rect width="6" height="6" fill="#f0f0f0"/><g fill="hsl(${hueOf(key)},55%,45%)">${cells}</g></svg>`;
}

/** Pixels per cell of the PNG identicon: 6 cells (5 and a half-cell margin each side) make 48 px, 2× its 24 px. */
const CELL = 8;

/** The identicon's background, #f0f0f0, opaque. */
const PAPER = [0xf0, 0xf0, 0xf0, 255];

/** The same identicon as the SVG, as a 48×48 PNG. */
export function identiconPng(key: string): Buffer {
  const png = new PNG({ width: 6 * CELL, height: 6 * CELL });
  const ink = hslToRgb(hueOf(key), 0.55, 0.45);
  for (let i = 0; i < png.data.length; i += 4) png.data.set(PAPER, i);
  for (const [x, y] of identiconCells(key)) {
    for (let py = (y + 0.5) * CELL; py < (y + 1.5) * CELL; py++) {
      for (let px = (x + 0.5) * CELL; px < (x + 1.5) * CELL; px++) png.data.set(ink, (py * png.width + px) * 4);
    }
  }
  return PNG.sync.write(png);
}

/** CSS's hsl() as opaque RGBA bytes (h in degrees, s and l from 0 to 1). */
function hslToRgb(h: number, s: number, l: number): number[] {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4), 255];
}

export function initialsSvg(key: string, initials: string): string {
  const text = initials.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40"><rect width="40" height="40" fill="hsl(${hueOf(key)},45%,40%)"/><text x="20" y="25.5" font-family="system-ui,sans-serif" font-size="16" fill="#fff" text-anchor="middle">${text}</text></svg>`;
}
