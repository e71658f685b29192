/** One comment in the rendered tree; `replyTo` is set when nesting was flattened. */
export interface TreeNode<T> {
  item: T;
  children: TreeNode<T>[];
  replyTo: T | null;
}

/** How deep replies nest on screen; deeper ones are shown beside their parent. */
export const MAX_DEPTH = 3;

interface Placed<T> {
  node: TreeNode<T>;
  depth: number;
  up: Placed<T> | null;
}

/**
 * Nests a flat, parent-before-reply list. Replies deeper than `maxDepth`
 * become siblings of their parent (marked with `replyTo`) so deep
 * conversations stay readable on narrow screens. A reply whose parent is
 * not in the list is shown at the top level.
 */
export function buildTree<T extends { id: string; parentId: string | null }>(
  items: T[],
  maxDepth = MAX_DEPTH,
): TreeNode<T>[] {
  const roots: TreeNode<T>[] = [];
  const placed = new Map<string, Placed<T>>();
  for (const item of items) {
    if (placed.has(item.id)) continue;
    const node: TreeNode<T> = { item, children: [], replyTo: null };
    const parent = item.parentId ? placed.get(item.parentId) : undefined;
    if (!parent) {
      roots.push(node);
      placed.set(item.id, { node, depth: 0, up: null });
      continue;
    }
    let host = parent;
    if (parent.depth >= maxDepth && parent.up) {
      host = parent.up;
      node.replyTo = parent.node.item;
    }
    host.node.children.push(node);
    placed.set(item.id, { node, depth: host.depth + 1, up: host });
  }
  return roots;
}
