/**
 * Page cursors: the last row's sort keys as a JSON array, base64url. Opaque
 * to callers; every list that pages (public threads, the moderation queue)
 * writes and reads them here, so they share one wire format.
 */
export function encodeCursor(parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The parts of a cursor we wrote, or undefined for anything that is not one (not base64url, not a JSON array). The caller checks each part. */
export function decodeCursor(cursor: string): unknown[] | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Exactly what `Date.toISOString()` writes: Postgres never sees a date it could refuse (that would be a 500, not a 400). */
export function isCursorTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

export function isCursorId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
