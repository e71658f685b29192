import { Gauge, type Registry } from 'prom-client';

/** A gauge of the live streams (Server-Sent Events) open in this process, read from `streams.size` at scrape time. */
export function openStreamsGauge(
  registry: Registry,
  metric: { name: string; help: string },
  streams: { readonly size: number },
): void {
  new Gauge({
    ...metric,
    registers: [registry],
    collect() {
      this.set(streams.size);
    },
  });
}
