import type { Api } from './api.js';
import { type Stack, horizontalBarChart, stackedBarChart } from './charts.js';
import { byId, el } from './dom.js';
import type { ModerateMessages } from './i18n/index.js';
import type { SeriesPoint, StatsAnswer } from './types.js';

const OUTCOMES = [
  { key: 'approved', cls: 'c-approved' },
  { key: 'held', cls: 'c-held' },
  { key: 'spam', cls: 'c-spam' },
  { key: 'rejected', cls: 'c-rejected' },
] as const;

/** Share as "87 %" / "87%", or the "not enough data" words when there is nothing to divide. */
function percent(part: number, whole: number, lang: string, t: ModerateMessages): string {
  if (whole <= 0) return t.stats.notEnough;
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
}

/**
 * Precision and recall of the filter's spam calls, from what moderators
 * overruled: a spam call they approved is a false positive, an approved
 * comment they marked spam a false negative.
 */
export function filterQuality(series: SeriesPoint[]) {
  const sum = (k: keyof SeriesPoint) => series.reduce((n, p) => n + (Number(p[k]) || 0), 0);
  const filtered = sum('filteredSpam');
  const fp = sum('falsePositives');
  const fn = sum('falseNegatives');
  const tp = Math.max(0, filtered - fp);
  return { filtered, fp, fn, tp, precisionOf: filtered, recallOf: tp + fn };
}

/** The "Statistik" view: four small charts from `GET /v1/admin/sites/{id}/stats?from&to&bucket`. */
export function createStats(deps: { api: Api; t: ModerateMessages; lang: string }) {
  const { api, t, lang } = deps;
  const siteEl = byId<HTMLSelectElement>('stats-site');
  const rangeEl = byId<HTMLSelectElement>('stats-range');
  const bodyEl = byId('stats-body');
  let generation = 0;

  function section(title: string): HTMLElement {
    const s = el('section', 'chart-box');
    s.appendChild(el('h3', '', title));
    bodyEl.appendChild(s);
    return s;
  }

  function legend(items: Array<{ cls: string; name: string }>): HTMLUListElement {
    const ul = el('ul', 'legend');
    for (const item of items) {
      const li = el('li');
      li.appendChild(el('span', `swatch ${item.cls}`));
      li.appendChild(document.createTextNode(item.name));
      ul.appendChild(li);
    }
    return ul;
  }

  function bucketLabel(iso: string, hourly: boolean): string {
    const d = new Date(iso);
    return hourly
      ? new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(d)
      : new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'numeric', timeZone: 'UTC' }).format(d);
  }

  function draw(data: StatsAnswer, hourly: boolean): void {
    bodyEl.textContent = '';
    const series = data.series ?? [];
    const names = {
      approved: t.statuses.approved,
      held: t.stats.legendHeld,
      spam: t.statuses.spam,
      rejected: t.statuses.rejected,
    };

    const perBucket = section(hourly ? t.stats.perHour : t.stats.perDay);
    const stacks: Stack[] = series.map((p) => ({
      label: bucketLabel(p.t, hourly),
      parts: OUTCOMES.map((o) => ({ name: names[o.key], cls: o.cls, value: p[o.key] })),
    }));
    const total = series.reduce((n, p) => n + p.approved + p.held + p.spam + p.rejected, 0);
    const byOutcome = OUTCOMES.map((o) => `${series.reduce((n, p) => n + p[o.key], 0)} ${names[o.key]}`).join(', ');
    perBucket.appendChild(
      stackedBarChart(stacks, `${hourly ? t.stats.perHour : t.stats.perDay}: ${t.stats.total(total)}; ${byOutcome}`),
    );
    perBucket.appendChild(legend(OUTCOMES.map((o) => ({ cls: o.cls, name: names[o.key] }))));
    perBucket.appendChild(el('p', 'note', total ? `${t.stats.total(total)} · ${byOutcome}` : t.stats.noData));

    const ages = section(t.stats.heldAge);
    const heldAges = data.heldAges ?? [];
    const waiting = heldAges.reduce((n, a) => n + a.n, 0);
    const ageRows = heldAges.map((a, i) => ({
      label: t.stats.ageBuckets[i] ?? String(a.maxSeconds),
      value: a.n,
      cls: 'c-held',
    }));
    ages.appendChild(
      horizontalBarChart(ageRows, `${t.stats.heldAge}: ${ageRows.map((r) => `${r.label} ${r.value}`).join(', ')}`),
    );
    if (!waiting) ages.appendChild(el('p', 'note', t.stats.heldAgeNone));

    const overrides = section(t.stats.overrides);
    const q = filterQuality(series);
    const overrideStacks: Stack[] = series.map((p) => ({
      label: bucketLabel(p.t, hourly),
      parts: [
        { name: t.stats.falsePositives, cls: 'c-fp', value: p.falsePositives ?? 0 },
        { name: t.stats.falseNegatives, cls: 'c-fn', value: p.falseNegatives ?? 0 },
      ],
    }));
    const figures = `${t.stats.precision}: ${percent(q.tp, q.precisionOf, lang, t)} · ${t.stats.recall}: ${percent(q.tp, q.recallOf, lang, t)}`;
    overrides.appendChild(
      stackedBarChart(
        overrideStacks,
        `${t.stats.overrides}: ${q.fp} ${t.stats.falsePositives}, ${q.fn} ${t.stats.falseNegatives}; ${figures}`,
      ),
    );
    overrides.appendChild(
      legend([
        { cls: 'c-fp', name: t.stats.falsePositives },
        { cls: 'c-fn', name: t.stats.falseNegatives },
      ]),
    );
    const quality = el('p', 'quality', figures);
    quality.dataset.precision = q.precisionOf ? String(q.tp / q.precisionOf) : '';
    quality.dataset.recall = q.recallOf ? String(q.tp / q.recallOf) : '';
    overrides.appendChild(quality);
    overrides.appendChild(el('p', 'note', t.stats.overridesNote));

    const reasons = section(t.stats.topReasons);
    const top = data.topReasons ?? [];
    if (top.length) {
      const rows = top.map((r) => ({ label: r.check, value: r.n, cls: 'c-reason' }));
      reasons.appendChild(
        horizontalBarChart(rows, `${t.stats.topReasons}: ${rows.map((r) => `${r.label} ${r.value}`).join(', ')}`),
      );
    } else reasons.appendChild(el('p', 'note', t.stats.noReasons));
    document.body.dataset.statsReady = String(Date.now());
  }

  async function load(): Promise<void> {
    const site = siteEl.value;
    if (!site) {
      bodyEl.textContent = t.stats.chooseSite;
      return;
    }
    const days = Number(rangeEl.value) || 30;
    const hourly = days === 1;
    const unit = hourly ? 3600_000 : 86_400_000;
    // Whole buckets up to and including the current one.
    const to = new Date(Math.floor(Date.now() / unit) * unit + unit);
    const from = new Date(to.getTime() - days * 86_400_000);
    const query = new URLSearchParams({
      from: from.toISOString(),
      to: to.toISOString(),
      bucket: hourly ? 'hour' : 'day',
    });
    const mine = ++generation;
    try {
      const data = await api<StatsAnswer>('GET', `/v1/admin/sites/${encodeURIComponent(site)}/stats?${query}`);
      if (mine === generation) draw(data, hourly);
    } catch (e) {
      if (mine === generation) bodyEl.textContent = t.stats.loadFailed((e as Error).message);
    }
  }

  siteEl.addEventListener('change', () => void load());
  rangeEl.addEventListener('change', () => void load());
  return {
    load,
    addSite(id: string, name: string): void {
      const o = el('option', '', `${name} (${id})`);
      o.value = id;
      siteEl.appendChild(o);
    },
  };
}
