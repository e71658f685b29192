import { svg } from './dom.js';

/**
 * Small SVG charts, drawn with presentation attributes and CSS classes only
 * (the page's CSP allows no inline style). Each is one `role="img"` with a
 * spoken summary; every bar has a `<title>` for the exact figure on hover.
 */

export interface StackPart {
  name: string;
  cls: string;
  value: number;
}
export interface Stack {
  label: string;
  parts: StackPart[];
}

const W = 640;
const H = 200;
const LEFT = 36;
const BOTTOM = 22;

/** The smallest "nice" number (1, 2, 5 × 10^n) at or above `n`, so the axis reads easily. */
export function niceCeiling(n: number): number {
  if (n <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/** Vertical bars, one per stack, parts stacked bottom-up; x labels thinned out to fit. */
export function stackedBarChart(stacks: Stack[], summary: string): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, class: 'chart' });
  root.appendChild(svg('title', {}, summary));
  const max = niceCeiling(Math.max(0, ...stacks.map((s) => s.parts.reduce((sum, p) => sum + p.value, 0))));
  const plotH = H - BOTTOM - 8;
  const y = (v: number) => H - BOTTOM - (v / max) * plotH;
  // A middle line only where it falls on a whole number.
  for (const v of max % 2 === 0 ? [0, max / 2, max] : [0, max]) {
    root.appendChild(svg('line', { x1: LEFT, x2: W, y1: y(v), y2: y(v), class: 'grid' }));
    root.appendChild(
      svg('text', { x: LEFT - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, String(Math.round(v))),
    );
  }
  const slot = (W - LEFT) / Math.max(1, stacks.length);
  const every = Math.max(1, Math.ceil(stacks.length / 10));
  stacks.forEach((stack, i) => {
    const x = LEFT + i * slot + slot * 0.1;
    let base = 0;
    for (const part of stack.parts) {
      if (part.value <= 0) continue;
      const rect = svg('rect', {
        x,
        y: y(base + part.value),
        width: Math.max(1, slot * 0.8),
        height: y(base) - y(base + part.value),
        class: part.cls,
      });
      rect.appendChild(svg('title', {}, `${stack.label}: ${part.value} ${part.name}`));
      root.appendChild(rect);
      base += part.value;
    }
    if (i % every === 0)
      root.appendChild(
        svg('text', { x: x + slot * 0.4, y: H - 6, 'text-anchor': 'middle', class: 'axis' }, stack.label),
      );
  });
  return root;
}

export interface Row {
  label: string;
  value: number;
  cls: string;
}

/** Horizontal bars with the label on the left and the figure after the bar. */
export function horizontalBarChart(rows: Row[], summary: string): SVGSVGElement {
  const rowH = 24;
  const labelW = 150;
  const height = rows.length * rowH + 4;
  const root = svg('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': summary, class: 'chart' });
  root.appendChild(svg('title', {}, summary));
  const max = Math.max(1, ...rows.map((r) => r.value));
  rows.forEach((row, i) => {
    const top = i * rowH + 2;
    root.appendChild(svg('text', { x: labelW - 6, y: top + 16, 'text-anchor': 'end', class: 'label' }, row.label));
    const width = ((W - labelW - 50) * row.value) / max;
    const rect = svg('rect', {
      x: labelW,
      y: top + 3,
      width: Math.max(row.value > 0 ? 2 : 0, width),
      height: rowH - 8,
      class: row.cls,
    });
    rect.appendChild(svg('title', {}, `${row.label}: ${row.value}`));
    root.appendChild(rect);
    root.appendChild(svg('text', { x: labelW + width + 6, y: top + 16, class: 'label' }, String(row.value)));
  });
  return root;
}
