// The beam tree's layout, built for what a beam tree is: levels are rows, each node over its
// children, a subtree placed as close to its left-hand sibling's as their rows allow (a tidy tree,
// after Reingold and Tilford: a node's subtree keeps, per depth, its leftmost and rightmost x, and
// a sibling is placed one slot clear of the siblings before it at every depth they share).
// Children keep the order they arrived in. A node is centred over its children that have children
// of their own (else over all): a beam search goes on through one or two children of each node,
// and centring over all of them made each line of the search drift half a level's width sideways
// per level (a staircase five times as wide as the widest level, at 10,000 nodes); this way it
// runs straight down, its pruned siblings beside it. Positions are relative to the parent, so adding a node
// recomputes only the nodes on its path to the root, each from its children's outlines; what
// moves is its own subtree, its ancestors (re-centred) and what lies to their right, never what
// lies to the left. An absolute position is summed up the path when asked, and `visit` enters
// only the subtrees whose outline meets a box, so drawing costs what is in view, not the whole
// tree. Pure: the unit tests load it.

import { type LayoutNode, NODE_HEIGHT, NODE_WIDTH, ROW, SLOT } from './treeGeometry.js';

interface Entry {
  id: string;
  level: number;
  /** Its place in the node list the layout was synced from. */
  index: number;
  /** The forest (the roots' common parent) for a root; null for the forest itself. */
  parent: Entry | null;
  children: Entry[];
  /** Depth in the tree (the forest's is −1): outlines are recomputed deepest first. */
  depth: number;
  /** x relative to the parent's, in slots. */
  offset: number;
  /** Per depth below it (0: itself), its subtree's leftmost and rightmost x, relative to its own, in slots. */
  left: number[];
  right: number[];
  minLeft: number;
  maxRight: number;
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
  /** Nodes whose outline must be recomputed: the paths from the nodes added to the root. */
  private readonly dirty = new Set<Entry>();
  private synced: string[] = [];
  /** The deepest level (−1: no node). */
  deepest = -1;
  private shallowest = Number.POSITIVE_INFINITY;
  /** Bumped by every change. */
  version = 0;

  private static forestEntry(): Entry {
    const forest = { id: '', level: -1, index: -1, parent: null, children: [], depth: -1, offset: 0 };
    return { ...forest, left: [], right: [], minLeft: 0, maxRight: 0 };
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
    // Deepest first: a node's outline is made of its children's.
    for (const entry of [...this.dirty].sort((a, b) => b.depth - a.depth)) this.outline(entry);
    this.dirty.clear();
    this.version++;
    return true;
  }

  private clear(): void {
    this.entries.clear();
    this.waiting.clear();
    this.rows.clear();
    this.dirty.clear();
    this.forest = TreeLayout.forestEntry();
    this.synced = [];
    this.deepest = -1;
    this.shallowest = Number.POSITIVE_INFINITY;
  }

  private add({ id, parentId, level }: LayoutNode, index: number): void {
    if (this.entries.has(id)) return;
    const entry: Entry = {
      id,
      level,
      index,
      parent: null,
      children: [],
      depth: 0,
      offset: 0,
      left: [0],
      right: [0],
      minLeft: 0,
      maxRight: 0,
    };
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
    const deepen = (e: Entry, depth: number) => {
      e.depth = depth;
      for (const child of e.children) deepen(child, depth + 1);
    };
    if (entry.depth !== parent.depth + 1) deepen(entry, parent.depth + 1);
    this.touch(parent);
  }

  private detach(entry: Entry): void {
    const parent = entry.parent!;
    parent.children.splice(parent.children.indexOf(entry), 1);
    this.touch(parent);
  }

  /** `from` and its ancestors need their outlines recomputed. */
  private touch(from: Entry): void {
    for (let e: Entry | null = from; e && !this.dirty.has(e); e = e.parent) this.dirty.add(e);
  }

  /**
   * Places `entry`'s children left to right, each one slot clear of those before it at every
   * depth they share, centres `entry` over its first and last child with children (none: over its
   * first and last child; the forest is not a node: its roots stay where they were placed), and
   * records the outline of the whole.
   */
  private outline(entry: Entry): void {
    // The outline is rebuilt in place: first the children's, relative to the first child; the
    // node's own row (none for the forest) at index 0.
    const own = entry === this.forest ? 0 : 1;
    const { left, right, children } = entry;
    left.length = own;
    right.length = own;
    let firstInner: number | null = null;
    let lastInner = 0;
    for (const [i, child] of children.entries()) {
      let at = 0;
      if (i > 0) {
        at = Number.NEGATIVE_INFINITY;
        const shared = Math.min(right.length - own, child.left.length);
        for (let d = 0; d < shared; d++) at = Math.max(at, right[d + own]! - child.left[d]! + 1);
      }
      child.offset = at;
      if (child.children.length > 0) {
        firstInner ??= at;
        lastInner = at;
      }
      for (let d = 0; d < child.left.length; d++) {
        if (d + own >= left.length) left.push(at + child.left[d]!);
        // Clear of the earlier siblings, this child is the rightmost at every depth it has.
        right[d + own] = at + child.right[d]!;
      }
    }
    const first = firstInner ?? children[0]?.offset ?? 0;
    const last = firstInner === null ? (children.at(-1)?.offset ?? 0) : lastInner;
    const mid = own === 0 ? 0 : (first + last) / 2;
    for (const child of children) child.offset -= mid;
    if (own) left[0] = right[0] = 0;
    entry.minLeft = own ? 0 : Number.POSITIVE_INFINITY;
    entry.maxRight = own ? 0 : Number.NEGATIVE_INFINITY;
    for (let d = own; d < left.length; d++) {
      left[d]! -= mid;
      right[d]! -= mid;
      entry.minLeft = Math.min(entry.minLeft, left[d]!);
      entry.maxRight = Math.max(entry.maxRight, right[d]!);
    }
    if (left.length === 0) entry.minLeft = entry.maxRight = 0;
  }

  /** The forest's x: the tree's leftmost card at x = 0. */
  private get base(): number {
    return -this.forest.minLeft;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Where `id`'s card's top-left corner is; null for a node not laid out. */
  positionOf(id: string): Point | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    let x = this.base;
    for (let e: Entry | null = entry; e; e = e.parent) x += e.offset;
    return { x: x * SLOT, y: entry.level * ROW };
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
    const at = this.positionOf(id);
    if (!at) return null;
    const row = { minY: at.y, maxY: at.y + NODE_HEIGHT };
    let found: string | null = null;
    // A level's cards are at least a slot apart, and `visit` meets them left to right.
    if (direction > 0)
      this.visit({ ...row, minX: at.x + NODE_WIDTH + 1, maxX: Number.POSITIVE_INFINITY }, (p) => {
        found = p.id;
        return false;
      });
    else
      this.visit({ ...row, minX: Number.NEGATIVE_INFINITY, maxX: at.x }, (p) => {
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
      maxX: (this.forest.maxRight - this.forest.minLeft) * SLOT + NODE_WIDTH,
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
   * level's nodes come left to right), until it returns false. Only subtrees whose outline meets
   * the box are entered.
   */
  visit(box: Box, fn: (node: Placed) => unknown): void {
    const walk = (parent: Entry, parentX: number, at: Point | null): boolean => {
      for (const child of parent.children) {
        const slot = parentX + child.offset;
        if ((slot + child.maxRight) * SLOT + NODE_WIDTH <= box.minX || (slot + child.minLeft) * SLOT >= box.maxX)
          continue;
        const x = slot * SLOT;
        const y = child.level * ROW;
        const meets = x + NODE_WIDTH > box.minX && x < box.maxX && y + NODE_HEIGHT > box.minY && y < box.maxY;
        if (meets && fn({ id: child.id, index: child.index, level: child.level, x, y, parent: at }) === false)
          return false;
        // Children are a level further down.
        if (child.children.length > 0 && (child.level + 1) * ROW < box.maxY && !walk(child, slot, { x, y }))
          return false;
      }
      return true;
    };
    walk(this.forest, this.base, null);
  }
}
