/**
 * A throwaway HTTP server standing in for api and ingest, with canned,
 * contract-shaped answers (API.md). It exists to test the widget's own
 * behaviour; the real services are exercised by the end-to-end tests.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embedScriptPath } from '../src/index.js';

export interface WireComment {
  id: string;
  parentId: string | null;
  author: { name: string; url?: string | null; verified?: boolean; provider?: string };
  html: string;
  createdAt: string;
}

export interface Posted {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export const THREAD_KEY = '/2012/03/kleine-fluchten';

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

/** Six approved comments, nested five deep, one author with a javascript: URL. */
export function cannedComments(): WireComment[] {
  return [
    {
      id: 'a1',
      parentId: null,
      author: { name: 'Anna', url: 'https://anna.example' },
      html: '<p>Schöner Text über <em>kleine</em> Fluchten.</p>',
      createdAt: ago(3 * 86400),
    },
    { id: 'b1', parentId: 'a1', author: { name: 'Bernd' }, html: '<p>Finde ich auch.</p>', createdAt: ago(2 * 86400) },
    {
      id: 'c1',
      parentId: 'b1',
      author: { name: 'Clara', url: 'https://clara.example', verified: true, provider: 'Google' },
      html: '<p>Dritte Ebene.</p>',
      createdAt: ago(86400 + 7200),
    },
    { id: 'd1', parentId: 'c1', author: { name: 'Dieter' }, html: '<p>Vierte Ebene.</p>', createdAt: ago(5 * 3600) },
    { id: 'e1', parentId: 'd1', author: { name: 'Eva' }, html: '<p>Fünfte Ebene.</p>', createdAt: ago(3600) },
    {
      id: 'f1',
      parentId: null,
      author: { name: 'Fritz', url: 'javascript:alert(1)' },
      html: '<p>Zweiter Strang mit <code>Code</code>.</p>',
      createdAt: ago(600),
    },
  ];
}

export interface PageOptions {
  lang?: string;
  htmlLang?: string;
  theme?: string;
  hostileCss?: boolean;
  /** Leave `data-ingest` off the container, so the widget has to work out the ingest URL itself. */
  noIngestAttr?: boolean;
}

export class ApiDouble {
  server: Server;
  origin = '';
  comments: WireComment[] = cannedComments();
  /** Shown after "load more" (cursor `p2`); none means no nextCursor. */
  secondPage: WireComment[] = [];
  closed = false;
  statuses: Record<string, string> = {};
  posts: Posted[] = [];
  requests: string[] = [];
  /** Answers for the next POSTs, in order; when empty, a 202 with a fresh id. */
  postAnswers: Answer[] = [];
  /** When set, thread reads answer with this status (a contract-shaped error). */
  threadStatus: number | null = null;
  /** Served in front of embed.js, as the api may do with ingestUrlPrelude(). */
  embedPrelude = '';
  /** Open thread event streams (Server-Sent Events), fed by push(). */
  streams: ServerResponse[] = [];
  private eventId = 0;
  private nextId = 1;

  constructor() {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.comments = cannedComments();
    this.secondPage = [];
    this.closed = false;
    this.statuses = {};
    this.posts = [];
    this.requests = [];
    this.postAnswers = [];
    this.embedPrelude = '';
    this.threadStatus = null;
    for (const stream of this.streams) stream.end();
    this.streams = [];
  }

  /** Sends one event to every open thread stream, as the api's live thread stream does. */
  push(event: 'comment' | 'count', data: unknown): void {
    const id = ++this.eventId;
    for (const stream of this.streams) stream.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  pageUrl(options: PageOptions = {}): string {
    const q = new URLSearchParams(options as Record<string, string>);
    if (options.hostileCss) q.set('hostileCss', '1');
    return `${this.origin}/2012/03/kleine-fluchten?${q}`;
  }

  private page(q: URLSearchParams): string {
    const attr = (name: string, value: string | null) => (value ? ` ${name}="${value}"` : '');
    const hostile = q.get('hostileCss')
      ? `div,section,article,ol,li,p,form,label,input,textarea,button,h2,h3{display:none!important;color:red!important;background:red!important;font-size:2px!important}
         *{letter-spacing:9px;text-transform:uppercase}`
      : '';
    return `<!doctype html>
<html${attr('lang', q.get('htmlLang') ?? 'de')}><head><meta charset="utf-8">
<title>Kleine Fluchten</title>
<link rel="canonical" href="https://blog.example${THREAD_KEY}">
<style>body{font-family:Georgia,serif;margin:2rem;background:#fff;color:#111} div{color:red} ${hostile}</style>
</head><body><main>
<h1>Kleine Fluchten</h1>
<p>Ein Beitrag. <span data-comment-count="${THREAD_KEY}">…</span></p>
<div id="comments" data-site="demo"${q.get('noIngestAttr') ? '' : ` data-ingest="${this.origin}"`}${attr('data-lang', q.get('lang'))}${attr('data-theme', q.get('theme'))}></div>
</main>
<script src="/embed.js" async></script>
</body></html>`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key',
      });
      res.end();
      return;
    }
    if (url.pathname === '/embed.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8' });
      res.end(this.embedPrelude + (await readFile(embedScriptPath, 'utf8')));
      return;
    }
    if (url.pathname === THREAD_KEY) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(this.page(url.searchParams));
      return;
    }
    const parts = url.pathname.split('/');
    // ['', 'v1', 'sites', site, ...rest]
    if (parts[1] !== 'v1' || parts[2] !== 'sites' || parts[3] !== 'demo') {
      json(404, { error: { code: 'not_found', message: 'not found', requestId: 'req_x' } });
      return;
    }
    const rest = parts.slice(4);
    if (req.method === 'GET' && rest[0] === 'threads' && rest[2] === 'events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.write(': open\n\n');
      this.streams.push(res);
      req.on('close', () => {
        this.streams = this.streams.filter((s) => s !== res);
      });
      return;
    }
    if (req.method === 'GET' && rest[0] === 'threads' && rest[2] === 'comments') {
      if (this.threadStatus) {
        json(
          this.threadStatus,
          { error: { code: 'unavailable', message: 'down', requestId: 'req_2' } },
          { 'Retry-After': '1' },
        );
        return;
      }
      const key = decodeURIComponent(rest[1] ?? '');
      const known = key === THREAD_KEY;
      const second = url.searchParams.get('cursor') === 'p2';
      let list = known ? (second ? this.secondPage : this.comments) : [];
      if (url.searchParams.get('sort') === 'newest') list = [...list].reverse();
      json(200, {
        thread: {
          key,
          title: 'Kleine Fluchten',
          url: null,
          closed: this.closed,
          count: known ? this.comments.length + this.secondPage.length : 0,
        },
        comments: list,
        nextCursor: known && !second && this.secondPage.length ? 'p2' : null,
      });
      return;
    }
    if (req.method === 'GET' && rest[0] === 'counts') {
      const counts: Record<string, number> = {};
      for (const key of url.searchParams.getAll('thread')) {
        counts[key] = key === THREAD_KEY ? this.comments.length + this.secondPage.length : 0;
      }
      json(200, { counts });
      return;
    }
    if (req.method === 'GET' && rest[0] === 'comments' && rest[1]) {
      const id = decodeURIComponent(rest[1]);
      json(200, { id, status: this.statuses[id] ?? 'pending' });
      return;
    }
    if (req.method === 'POST' && rest[0] === 'comments' && rest.length === 1) {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      this.posts.push({ headers: req.headers, body: JSON.parse(raw) });
      const answer = this.postAnswers.shift() ?? {
        status: 202,
        body: { id: `0192f0c4-0000-7000-8000-${String(this.nextId++).padStart(12, '0')}`, status: 'pending' },
      };
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      json(answer.status, answer.body, answer.headers);
      return;
    }
    json(404, { error: { code: 'not_found', message: 'not found', requestId: 'req_x' } });
  }
}
