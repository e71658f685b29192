import { classify, type Problem } from './errors.js';
import type { ErrorBody } from './types.js';

/** A non-2xx answer; the body is the API's `{"error": …}` when it could be read. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
    readonly retryAfter: string | null,
  ) {
    super(`HTTP ${status}`);
  }
}

/** fetch + JSON; throws HttpError for non-2xx, TypeError when there was no answer. */
export async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new HttpError(res.status, data, res.headers.get('Retry-After'));
  return data as T;
}

export function problemOf(err: unknown): Problem {
  return err instanceof HttpError ? classify(err.status, err.body, err.retryAfter) : { kind: 'network' };
}

/** A random id for `Idempotency-Key`; getRandomValues also works outside secure contexts. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let id = '';
  for (const b of bytes) id += (b + 256).toString(16).slice(1);
  return id;
}
