// Moving between the beam tree's nodes with the arrow keys, in the layout's order: up to the
// parent, down to the leftmost child, left and right to the neighbours in the same level (across
// parents, so that a whole level can be walked). Pure, with no imports: the unit tests load it.

export interface NavNode {
  id: string;
  parentId: string | null;
  level: number;
}

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

export function isNavKey(key: string): key is NavKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';
}

/** The laid-out tree in the layout's order; only nodes with a position take part. */
export interface TreeIndex {
  parent: ReadonlyMap<string, string | null>;
  /** Each node's children, left to right. */
  children: ReadonlyMap<string, readonly string[]>;
  /** Each node's level row, left to right, and its place in that row. */
  row: ReadonlyMap<string, { ids: readonly string[]; index: number }>;
  /** Every laid-out node, top-down, each level left to right. */
  order: readonly string[];
  /** The deepest level laid out (−1: none). */
  deepest: number;
}

export function indexTree(
  nodes: readonly NavNode[],
  positions: ReadonlyMap<string, { x: number; y: number }>,
): TreeIndex {
  const laid = nodes.filter((n) => positions.has(n.id));
  const x = (id: string) => positions.get(id)!.x;
  laid.sort((a, b) => a.level - b.level || x(a.id) - x(b.id));
  const parent = new Map<string, string | null>();
  const children = new Map<string, string[]>();
  const rows = new Map<number, string[]>();
  for (const node of laid) {
    parent.set(node.id, node.parentId);
    if (node.parentId !== null && positions.has(node.parentId)) {
      const siblings = children.get(node.parentId) ?? [];
      siblings.push(node.id);
      children.set(node.parentId, siblings);
    }
    const ids = rows.get(node.level) ?? [];
    ids.push(node.id);
    rows.set(node.level, ids);
  }
  const row = new Map<string, { ids: readonly string[]; index: number }>();
  for (const ids of rows.values()) for (const [index, id] of ids.entries()) row.set(id, { ids, index });
  return { parent, children, row, order: laid.map((n) => n.id), deepest: laid.at(-1)?.level ?? -1 };
}

/** The node an arrow key moves to from `currentId` (none yet: the first node), or null where it cannot move. */
export function nextNodeId(index: TreeIndex, currentId: string | null, key: NavKey): string | null {
  if (currentId === null || !index.row.has(currentId)) return index.order[0] ?? null;
  switch (key) {
    case 'ArrowUp': {
      const up = index.parent.get(currentId) ?? null;
      return up !== null && index.row.has(up) ? up : null;
    }
    case 'ArrowDown':
      return index.children.get(currentId)?.[0] ?? null;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const { ids, index: at } = index.row.get(currentId)!;
      return ids[at + (key === 'ArrowLeft' ? -1 : 1)] ?? null;
    }
  }
}
