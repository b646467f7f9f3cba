// The beam tree's layout, built for what a beam tree is: levels are rows, and each node's subtree
// takes a contiguous run of slots (columns) as wide as its leaves (at least one), the node centred
// over its run; children keep the order they arrived in. Adding a node changes only the widths on
// its path to the root (O(depth)): its own subtree and everything to its right shift, by one slot
// at most, and nothing to its left moves. No absolute position is stored: a node's place is summed
// from its ancestors' runs when asked, and `visit` walks only the subtrees whose runs meet a box,
// so drawing costs what is in view, not the whole tree. Pure: the unit tests load it.

import { type LayoutNode, NODE_HEIGHT, NODE_WIDTH, ROW, SLOT, SLOT_GAP } from './treeGeometry.js';

interface Entry {
  id: string;
  level: number;
  /** Its place in the node list the layout was synced from. */
  index: number;
  /** The forest (the roots' common parent) for a root; null for the forest itself. */
  parent: Entry | null;
  children: Entry[];
  /** Slots the subtree takes: its leaves, at least one. */
  width: number;
  /** Its children's widths, summed. */
  childWidth: number;
}

export interface Point {
  x: number;
  y: number;
}
export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** A node met by `visit`: its card's top-left corner, and its parent's (null for a root). */
export interface Placed extends Point {
  id: string;
  index: number;
  level: number;
  parent: Point | null;
}

export class TreeLayout {
  private readonly entries = new Map<string, Entry>();
  private forest: Entry = TreeLayout.forestEntry();
  /** Nodes whose parent has not arrived yet, by that parent's id: roots until it does. */
  private readonly waiting = new Map<string, Entry[]>();
  private readonly rows = new Map<number, string[]>();
  private synced: string[] = [];
  /** The deepest level (−1: no node). */
  deepest = -1;
  private shallowest = Number.POSITIVE_INFINITY;
  /** Bumped by every change. */
  version = 0;

  private static forestEntry(): Entry {
    return { id: '', level: -1, index: -1, parent: null, children: [], width: 0, childWidth: 0 };
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Takes the nodes added to `nodes` since the last sync (a node list only grows at its end; one
   * that does not continue the last is a new tree, laid out from scratch). True if anything changed.
   */
  sync(nodes: readonly LayoutNode[]): boolean {
    const known = this.synced.length;
    if (nodes.length < known || (known > 0 && nodes[known - 1]!.id !== this.synced[known - 1])) this.clear();
    const from = this.synced.length;
    for (let i = from; i < nodes.length; i++) {
      this.add(nodes[i]!, i);
      this.synced.push(nodes[i]!.id);
    }
    if (from === nodes.length && from === known) return false;
    this.version++;
    return true;
  }

  private clear(): void {
    this.entries.clear();
    this.waiting.clear();
    this.rows.clear();
    this.forest = TreeLayout.forestEntry();
    this.synced = [];
    this.deepest = -1;
    this.shallowest = Number.POSITIVE_INFINITY;
  }

  private add({ id, parentId, level }: LayoutNode, index: number): void {
    if (this.entries.has(id)) return;
    const entry: Entry = { id, level, index, parent: null, children: [], width: 1, childWidth: 0 };
    this.entries.set(id, entry);
    const parent = parentId === null ? undefined : this.entries.get(parentId);
    this.attach(entry, parent ?? this.forest);
    if (parentId !== null && !parent) this.waiting.set(parentId, [...(this.waiting.get(parentId) ?? []), entry]);
    // Its children that came first move under it (unless that would make a cycle of bad data).
    for (const child of this.waiting.get(id) ?? []) {
      if (this.isAncestor(child, entry)) continue;
      this.detach(child);
      this.attach(child, entry);
    }
    this.waiting.delete(id);
    const row = this.rows.get(level);
    if (row) row.push(id);
    else this.rows.set(level, [id]);
    this.deepest = Math.max(this.deepest, level);
    this.shallowest = Math.min(this.shallowest, level);
  }

  private isAncestor(maybe: Entry, of: Entry): boolean {
    for (let e: Entry | null = of; e; e = e.parent) if (e === maybe) return true;
    return false;
  }

  private attach(entry: Entry, parent: Entry): void {
    entry.parent = parent;
    parent.children.push(entry);
    this.grow(parent, entry.width);
  }

  private detach(entry: Entry): void {
    const parent = entry.parent!;
    parent.children.splice(parent.children.indexOf(entry), 1);
    this.grow(parent, -entry.width);
  }

  /** `from`'s children widened by `delta` slots: so are it and its ancestors, while it shows. */
  private grow(from: Entry, delta: number): void {
    for (let e: Entry | null = from; e && delta !== 0; e = e.parent) {
      e.childWidth += delta;
      const width = e === this.forest ? e.childWidth : Math.max(1, e.childWidth);
      delta = width - e.width;
      e.width = width;
    }
  }

  /** The first slot of `entry`'s run. */
  private startOf(entry: Entry): number {
    let start = 0;
    for (let e = entry; e.parent; e = e.parent)
      for (const sibling of e.parent.children) {
        if (sibling === e) break;
        start += sibling.width;
      }
    return start;
  }

  private static place(entry: Entry, start: number): Point {
    return { x: (start + (entry.width - 1) / 2) * SLOT, y: entry.level * ROW };
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Where `id`'s card's top-left corner is; null for a node not laid out. */
  positionOf(id: string): Point | null {
    const entry = this.entries.get(id);
    return entry ? TreeLayout.place(entry, this.startOf(entry)) : null;
  }

  /** Its place in the node list last synced. */
  indexOf(id: string): number | null {
    return this.entries.get(id)?.index ?? null;
  }

  parentOf(id: string): string | null {
    const parent = this.entries.get(id)?.parent;
    return parent && parent !== this.forest ? parent.id : null;
  }

  firstChildOf(id: string): string | null {
    return this.entries.get(id)?.children[0]?.id ?? null;
  }

  /** The first root (the run's initial prompt). */
  get rootId(): string | null {
    return this.forest.children[0]?.id ?? null;
  }

  /** A level's nodes, in the order they arrived. */
  row(level: number): readonly string[] {
    return this.rows.get(level) ?? [];
  }

  /** The nearest node of the same level to the left (−1) or right (+1), across parents. */
  rowNeighbour(id: string, direction: -1 | 1): string | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    const start = this.startOf(entry);
    const y = entry.level * ROW;
    const row = { minY: y, maxY: y + NODE_HEIGHT };
    let found: string | null = null;
    // Same-level runs do not overlap: the neighbours' runs end before `entry`'s or begin after it.
    if (direction > 0)
      this.visit({ ...row, minX: (start + entry.width) * SLOT, maxX: Number.POSITIVE_INFINITY }, (p) => {
        found = p.id;
        return false;
      });
    else
      this.visit({ ...row, minX: Number.NEGATIVE_INFINITY, maxX: start * SLOT }, (p) => {
        found = p.id;
      });
    return found;
  }

  /** The box around every card; null when there is none. */
  bounds(): Box | null {
    if (this.deepest < 0) return null;
    return {
      minX: 0,
      minY: this.shallowest * ROW,
      maxX: this.forest.width * SLOT - SLOT_GAP,
      maxY: this.deepest * ROW + NODE_HEIGHT,
    };
  }

  /** The box around one level's cards; null when it has none. */
  rowBounds(level: number): Box | null {
    let box: Box | null = null;
    for (const id of this.row(level)) {
      const { x, y } = this.positionOf(id)!;
      box = box ?? { minX: x, minY: y, maxX: x, maxY: y + NODE_HEIGHT };
      box.minX = Math.min(box.minX, x);
      box.maxX = Math.max(box.maxX, x + NODE_WIDTH);
    }
    return box;
  }

  /**
   * Calls `fn` for every node whose card meets `box`, depth first, children left to right (so a
   * level's nodes come left to right), until it returns false. Only subtrees whose runs meet the
   * box are entered.
   */
  visit(box: Box, fn: (node: Placed) => unknown): void {
    const walk = (parent: Entry, start: number, at: Point | null): boolean => {
      let end = start;
      for (const child of parent.children) {
        const first = end;
        end += child.width;
        if (end * SLOT <= box.minX) continue;
        if (first * SLOT >= box.maxX) break;
        const { x, y } = TreeLayout.place(child, first);
        const meets = x + NODE_WIDTH > box.minX && x < box.maxX && y + NODE_HEIGHT > box.minY && y < box.maxY;
        if (meets && fn({ id: child.id, index: child.index, level: child.level, x, y, parent: at }) === false)
          return false;
        // Children are a level further down.
        if (child.children.length > 0 && (child.level + 1) * ROW < box.maxY && !walk(child, first, { x, y }))
          return false;
      }
      return true;
    };
    walk(this.forest, 0, null);
  }
}
