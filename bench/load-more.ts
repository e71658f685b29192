// "Load more" on a long thread, in Chromium: the widget's own cost per click, apart from the api and the
// database. A small server on 127.0.0.1 serves the built /embed.js, a page that embeds it, and a thread of
// --comments generated comments (avatars included) in pages of 50, as the read API answers them. The script
// clicks "load more" until the whole thread is on screen and reports, per stretch of the thread, the longest
// task (Long Tasks API) and the main-thread time per click (Chromium's trace; TRACE_DIR keeps the traces,
// TRACE_CATEGORIES widens them, TRACE_ALL traces every click). Stops by itself.
//   npm run build -w packages/widget && npx tsx bench/load-more.ts [--comments 10000] [--runs 1] [--embed file.js]
//     [--avatars png|svg]
// (--embed serves another build of the widget, e.g. one from before a change, to compare side by side; --avatars
// svg links every author's identicon as the SVG the api also serves, instead of the PNG comments link.)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from '@stammtisch/testkit';
import { identiconPng, identiconSvg } from '../services/api/src/reads/avatar-routes.js';
import type { Page } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    comments: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '1' },
    avatars: { type: 'string', default: 'png' },
    embed: { type: 'string', default: fileURLToPath(new URL('../packages/widget/dist/embed.js', import.meta.url)) },
  },
});
const total = Number(args.comments);
const PAGE = 50;
const embed = readFileSync(args.embed);
const start = Date.parse('2026-01-01T00:00:00Z');

function comment(i: number) {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    parentId: null,
    author: { name: `Leser ${i}`, avatar: `/v1/avatars/${i.toString(16).padStart(32, '0')}.${args.avatars}` },
    html: `<p>Kommentar ${i} mit <em>etwas</em> Text, damit die Zeile nach etwas aussieht.</p>`,
    createdAt: new Date(start + i * 1000).toISOString(),
    votes: { up: i % 7, down: 0 },
  };
}

function threadPage(url: URL) {
  const from = Number(url.searchParams.get('cursor') ?? 0);
  const to = Math.min(total, from + PAGE);
  const comments = [];
  for (let i = from; i < to; i++) comments.push(comment(i + 1));
  return {
    thread: { key: '/lang', title: 'Lang', url: null, closed: false, count: total, votes: 'up' },
    comments,
    nextCursor: to < total ? String(to) : null,
  };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/')
    return res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        '<!doctype html><html lang="de"><meta charset="utf-8"><title>Lang</title><main><h1>Lang</h1>' +
          '<div id="comments" data-site="demo" data-thread="/lang"></div></main><script src="/embed.js" async></script>',
      );
  if (url.pathname === '/embed.js') return res.writeHead(200, { 'content-type': 'application/javascript' }).end(embed);
  const face = /^\/v1\/avatars\/([0-9a-f]{32})\.(png|svg)$/.exec(url.pathname);
  if (face) {
    const [, key, type] = face as unknown as [string, string, 'png' | 'svg'];
    return res
      .writeHead(200, {
        'content-type': type === 'png' ? 'image/png' : 'image/svg+xml',
        'cache-control': 'max-age=86400',
      })
      .end(type === 'png' ? identiconPng(key) : identiconSvg(key));
  }
  if (url.pathname.endsWith('/comments'))
    return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(threadPage(url)));
  // The live stream, the counts and the rest: nothing to say.
  res.writeHead(204).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const count = (page: Page) =>
  page.evaluate(() => document.querySelector('#comments')!.shadowRoot!.querySelectorAll('li.c').length);

/** Main-thread milliseconds of the page's renderer in a trace (top-level tasks only). */
function mainThreadMs(trace: Buffer): number {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, number>();
  for (const e of events)
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && mains.has(`${e.pid}:${e.tid}`))
      byThread.set(`${e.pid}:${e.tid}`, (byThread.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0) / 1000);
  return Math.max(0, ...byThread.values());
}
interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

const browser = await launchChromium();
try {
  for (let run = 1; run <= Number(args.runs); run++) {
    const page = await browser.newPage({ locale: 'de-DE', viewport: { width: 1000, height: 800 } });
    await page.goto(`${origin}/`);
    await page.waitForSelector('#comments[data-state="ready"]');
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    const stretch = Math.max(PAGE, Math.round(total / 5 / PAGE) * PAGE);
    let worst = 0;
    let longClicks = 0;
    let clicks = 0;
    let traced = 0;
    let tracing = false;
    const started = Date.now();
    for (let loaded = await count(page); loaded < total; clicks++) {
      // The last five clicks of each stretch are traced for their main-thread time.
      const traceThis = !!process.env.TRACE_ALL || loaded % stretch >= stretch - 5 * PAGE || loaded + 5 * PAGE >= total;
      if (traceThis && !tracing) {
        await browser.startTracing(page, { categories: (process.env.TRACE_CATEGORIES ?? 'toplevel').split(',') });
        tracing = true;
        traced = 0;
      }
      await page.evaluate(() => {
        (window as unknown as { __long: number[] }).__long = [];
        document.querySelector('#comments')!.shadowRoot!.querySelector<HTMLButtonElement>('button.sec')!.click();
      });
      const before = loaded;
      while ((loaded = await count(page)) === before) await page.waitForTimeout(20);
      // Long tasks are reported a moment after they end; the next frame has been drawn by then.
      await page.waitForTimeout(120);
      const longest = Math.max(0, ...(await page.evaluate(() => (window as unknown as { __long: number[] }).__long)));
      worst = Math.max(worst, longest);
      if (longest > 50) longClicks++;
      if (tracing) traced++;
      if (tracing && (loaded % stretch === 0 || loaded >= total)) {
        const trace = await browser.stopTracing();
        if (process.env.TRACE_DIR)
          (await import('node:fs')).writeFileSync(`${process.env.TRACE_DIR}/trace-${loaded}.json`, trace);
        const ms = mainThreadMs(trace);
        tracing = false;
        console.log(
          `  to ${String(loaded).padStart(6)} comments: main thread busy ${(ms / traced).toFixed(1)} ms per click ` +
            `(its tasks, the benchmark's own polling included); longest task so far ${worst.toFixed(0)} ms`,
        );
      }
    }
    // What the page holds: elements per comment (the DOM the garbage collector walks) and the JS heap.
    const held = await page.evaluate(() => ({
      elements: document.querySelector('#comments')!.shadowRoot!.querySelectorAll('*').length,
      heapMiB:
        ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 2 ** 20,
    }));
    console.log(`  the page holds ${held.elements} elements in the widget, ${held.heapMiB.toFixed(0)} MiB of JS heap`);
    console.log(
      `run ${run}: ${clicks} clicks to ${await count(page)} comments in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
        `longest task ${worst.toFixed(0)} ms; clicks with a task over 50 ms: ${longClicks}`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
