/**
 * Calls the moderation API with the page's session cookie. Every change
 * carries the CSRF token the server put in the page's <meta>.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function createApi(csrf: string) {
  return async function api<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') {
      headers['x-csrf-token'] = csrf;
      if (body !== undefined) headers['content-type'] = 'application/json';
    }
    const res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) {
      location.href = '/moderate';
      throw new ApiError('signed out', 401);
    }
    const data = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!res.ok) throw new ApiError(data.error?.message ?? `HTTP ${res.status}`, res.status);
    return data as T;
  };
}
export type Api = ReturnType<typeof createApi>;
