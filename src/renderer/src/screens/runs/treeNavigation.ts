// Moving between the beam tree's nodes with the arrow keys, in the layout's order: up to the
// parent, down to the leftmost child, left and right to the neighbours in the same level (across
// parents, so that a whole level can be walked). Pure: the unit tests load it.
import type { TreeLayout } from './treeLayout.js';

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

export function isNavKey(key: string): key is NavKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';
}

/** The node an arrow key moves to from `currentId` (none yet, or not laid out: the root), or null where it cannot move. */
export function nextNodeId(layout: TreeLayout, currentId: string | null, key: NavKey): string | null {
  if (currentId === null || !layout.has(currentId)) return layout.rootId;
  switch (key) {
    case 'ArrowUp':
      return layout.parentOf(currentId);
    case 'ArrowDown':
      return layout.firstChildOf(currentId);
    case 'ArrowLeft':
      return layout.rowNeighbour(currentId, -1);
    case 'ArrowRight':
      return layout.rowNeighbour(currentId, 1);
  }
}
