import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/**
 * The functions a V8 .cpuprofile spent most self time in, and where that time
 * went by package (our sources, hono, bullmq, ioredis, node internals, …).
 */
export function summarizeProfile(file: string, top = 12): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
  };
  const total = profile.samples.length || 1;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/node_modules\//, '~/')
      .replace(/^.*\/(services|packages|bench)\//, '$1/');
    const name = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const area = !url
      ? functionName.startsWith('(')
        ? functionName
        : '(native)'
      : url.startsWith('node:')
        ? 'node internals'
        : (/node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url)?.[1] ??
          /\/(services|packages)\/([^/]+)/.exec(url)?.slice(1).join('/') ??
          'other');
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
  const lines = [
    `${file} (${total} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s)`,
    '  by area:',
  ];
  for (const [area, hits] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`    ${pct(hits)}  ${area}`);
  lines.push('  by function (self time):');
  for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`    ${pct(hits)}  ${name}`);
  return lines.join('\n');
}
