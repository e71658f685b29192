/** What one POST → visible measurement found (milliseconds). */
export interface LatencyResult {
  n: number;
  medianMs: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * POST → visible: posts `n` comments one at a time to ingest (after `warmup`
 * unmeasured ones) and, for each, polls the read API until the thread lists
 * it. The system is never saturated: one comment in flight at a time.
 */
export async function measurePostToVisible(input: {
  ingestUrl: string;
  apiUrl: string;
  siteId: string;
  threadKey: string;
  n: number;
  warmup?: number;
}): Promise<LatencyResult> {
  const warmup = input.warmup ?? 5;
  const threadUrl = `${input.apiUrl}/v1/sites/${input.siteId}/threads/${encodeURIComponent(input.threadKey)}/comments?sort=newest&limit=5`;
  const samples: number[] = [];
  const run = Math.random().toString(36).slice(2, 8);
  for (let i = 0; i < input.n + warmup; i++) {
    const started = performance.now();
    const res = await fetch(`${input.ingestUrl}/v1/sites/${input.siteId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        thread: { key: input.threadKey },
        author: { name: `Leserin ${i}` },
        // Unique per run too: the same text twice in a day is a duplicate, and a duplicate in a burst is spam (never visible).
        body: `Ein ganz normaler Kommentar Nummer ${i} über kleine Fluchten (${run}).`,
        renderedAt: Date.now() - 20_000,
      }),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    for (;;) {
      const page = (await (await fetch(threadUrl)).json()) as { comments: Array<{ id: string }> };
      if (page.comments.some((c) => c.id === id)) break;
      if (performance.now() - started > 10_000) throw new Error(`comment ${id} not visible after 10 s`);
      await new Promise((r) => setTimeout(r, 1));
    }
    // The first few warm up JIT, connections and the model.
    if (i >= warmup) samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1));
  return { n: samples.length, medianMs: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) };
}
