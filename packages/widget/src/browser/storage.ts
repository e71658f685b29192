/** localStorage that never throws (private modes, sandboxed frames, full quota). */
export function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  try {
    if (value == null || (Array.isArray(value) && !value.length)) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage unavailable: the widget still works, it just forgets
  }
}

/** The writer's own comment, kept in the browser until the server list shows it. */
export interface Own {
  id: string;
  parentId: string | null;
  name: string;
  url?: string;
  body: string;
  createdAt: string;
  status: 'pending' | 'approved';
  /** When the widget saw it approved (ms). */
  approvedAt?: number;
}

const PENDING_FOR = 30 * 86400000;
const APPROVED_FOR = 3600000;

/**
 * Drops own comments the server list already contains, approved ones after
 * an hour (the list has caught up by then, even on a later page), and
 * pending ones nobody decided on within 30 days.
 */
export function pruneOwn(own: Own[], listed: (id: string) => boolean, now: number): Own[] {
  return own.filter(
    (c) =>
      !listed(c.id) &&
      (c.status === 'approved'
        ? now - (c.approvedAt ?? now) < APPROVED_FOR
        : now - Date.parse(c.createdAt) < PENDING_FOR),
  );
}
