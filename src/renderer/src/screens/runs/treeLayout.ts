// The beam tree's layout, built for what a beam tree is: levels are rows, and a row is laid out
// from the one above it. A row's nodes are ordered by their parent's place (then by arrival), each
// family centred under its parent where the row leaves room; where families would overlap they
// share the push (layRow). A row depends only on the rows above it: adding a node re-lays its own
// row and the rows below, never one above; live, nodes arrive on the newest rows, so that is a row
// or two. x is absolute, the first root at 0: a tree widening to the left moves nothing else.
//
// Why not a tidy tree (Reingold–Tilford: each subtree a rigid block placed clear of its left
// siblings at every depth)? A beam search keeps W nodes a level out of W·M, chosen by score, so
// lines of the search die and branch level after level; under a tidy tree every line that ever
// lived keeps a column of its own, and a 10,000-node run (W 10, M 11) grew 3,200 slots wide for
// 110 nodes a level, which left fit-to-view a strip of sub-pixel cards. Packed by rows, it is about
// as wide as its widest level.
//
// Rows are kept sorted by x, so `visit` finds what meets a box by binary search, row by row:
// drawing costs what is in view, not the whole tree. Pure: the unit tests load it.

import { type LayoutNode, NODE_HEIGHT, NODE_WIDTH, ROW, SLOT } from './treeGeometry.js';

interface Entry {
  id: string;
  level: number;
  /** Its place in the node list the layout was synced from (its arrival). */
  index: number;
  parentId: string | null;
  /** x in slots: the first root at 0, so nothing moves when the tree widens to the left. */
  slot: number;
  /** Its place in its row, left to right. */
  rank: number;
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
  /** Each level's nodes, left to right once laid out. */
  private readonly rows = new Map<number, Entry[]>();
  /** Children by parent id, in the order they arrived (a child may come before its parent). */
  private readonly children = new Map<string, Entry[]>();
  private synced: string[] = [];
  private minSlot = 0;
  private maxSlot = 0;
  /** The deepest level (−1: no node). */
  deepest = -1;
  private shallowest = Number.POSITIVE_INFINITY;
  /** Bumped by every change. */
  version = 0;

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
    if (from === nodes.length && from === known) return false;
    let firstChanged = Number.POSITIVE_INFINITY;
    for (let i = from; i < nodes.length; i++) {
      const level = this.add(nodes[i]!, i);
      if (level !== null) firstChanged = Math.min(firstChanged, level);
      this.synced.push(nodes[i]!.id);
    }
    for (let level = firstChanged; level <= this.deepest; level++) this.layRow(level);
    this.measure();
    this.version++;
    return true;
  }

  private clear(): void {
    this.entries.clear();
    this.rows.clear();
    this.children.clear();
    this.synced = [];
    this.deepest = -1;
    this.shallowest = Number.POSITIVE_INFINITY;
  }

  /** The first level whose layout the node changes: its own (null: a node already known). */
  private add({ id, parentId, level }: LayoutNode, index: number): number | null {
    if (this.entries.has(id)) return null;
    const entry: Entry = { id, level, index, parentId, slot: 0, rank: 0 };
    this.entries.set(id, entry);
    const row = this.rows.get(level);
    if (row) row.push(entry);
    else this.rows.set(level, [entry]);
    if (parentId !== null) {
      const siblings = this.children.get(parentId);
      if (siblings) siblings.push(entry);
      else this.children.set(parentId, [entry]);
    }
    this.deepest = Math.max(this.deepest, level);
    this.shallowest = Math.min(this.shallowest, level);
    // Its children that came first now hang under it: their row changes too (it is below).
    return level;
  }

  /** Its parent, if that is laid out on a row above it (bad data — a parent below, or itself — counts as none). */
  private parentEntry(entry: Entry): Entry | null {
    const parent = entry.parentId === null ? undefined : this.entries.get(entry.parentId);
    return parent && parent.level < entry.level ? parent : null;
  }

  /**
   * Lays out one row from the row above. Order: roots first (in arrival order), then each
   * parent's family in the parent's order, each family in arrival order. Places: as near as the
   * row allows to where each card wants to be (a family centred under its parent, roots from 0),
   * in the least-squares sense, every card at least a slot right of its left neighbour. That is
   * isotonic regression of (wanted − rank) — the pool-adjacent-violators algorithm, one pass — so
   * families that would overlap share the push, weighted by their size, and no row drifts to
   * one side level after level, as a push-right-only packing did.
   */
  private layRow(level: number): void {
    const row = this.rows.get(level);
    if (!row) return;
    const parentOf = new Map(row.map((e) => [e, this.parentEntry(e)]));
    row.sort((a, b) => {
      const pa = parentOf.get(a)!;
      const pb = parentOf.get(b)!;
      if (pa !== pb) {
        if (!pa || !pb) return pa ? 1 : -1;
        return pa.level !== pb.level ? pa.level - pb.level : pa.rank - pb.rank;
      }
      return a.index - b.index;
    });
    // Blocks of cards pooled together, each at the mean of its (wanted − rank).
    const blocks: { start: number; count: number; sum: number }[] = [];
    for (let first = 0; first < row.length; ) {
      const parent = parentOf.get(row[first]!)!;
      let end = first + 1;
      while (end < row.length && parentOf.get(row[end]!) === parent) end++;
      const from = parent ? parent.slot - (end - first - 1) / 2 : 0;
      for (let i = first; i < end; i++) {
        blocks.push({ start: i, count: 1, sum: from + (i - first) - i });
        while (blocks.length > 1) {
          const last = blocks.at(-1)!;
          const before = blocks.at(-2)!;
          if (before.sum / before.count <= last.sum / last.count) break;
          before.count += last.count;
          before.sum += last.sum;
          blocks.pop();
        }
      }
      first = end;
    }
    for (const { start, count, sum } of blocks)
      for (let i = start; i < start + count; i++) {
        row[i]!.slot = sum / count + i;
        row[i]!.rank = i;
      }
  }

  private measure(): void {
    this.minSlot = Number.POSITIVE_INFINITY;
    this.maxSlot = Number.NEGATIVE_INFINITY;
    for (const row of this.rows.values()) {
      this.minSlot = Math.min(this.minSlot, row[0]!.slot);
      this.maxSlot = Math.max(this.maxSlot, row.at(-1)!.slot);
    }
    if (this.rows.size === 0) this.minSlot = this.maxSlot = 0;
  }

  private point(entry: Entry): Point {
    return { x: entry.slot * SLOT, y: entry.level * ROW };
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Where `id`'s card's top-left corner is; null for a node not laid out. */
  positionOf(id: string): Point | null {
    const entry = this.entries.get(id);
    return entry ? this.point(entry) : null;
  }

  /** Its place in the node list last synced. */
  indexOf(id: string): number | null {
    return this.entries.get(id)?.index ?? null;
  }

  parentOf(id: string): string | null {
    const entry = this.entries.get(id);
    return entry ? (this.parentEntry(entry)?.id ?? null) : null;
  }

  /** Its first child (by arrival) laid out under it. */
  firstChildOf(id: string): string | null {
    const entry = this.entries.get(id);
    return this.children.get(id)?.find((child) => entry && this.parentEntry(child) === entry)?.id ?? null;
  }

  /** The run's initial prompt: the first node to arrive on the top row (nothing is above it). */
  get rootId(): string | null {
    const top = this.rows.get(this.shallowest) ?? [];
    return top.reduce<Entry | null>((first, e) => (!first || e.index < first.index ? e : first), null)?.id ?? null;
  }

  /** A level's nodes, left to right. */
  row(level: number): readonly string[] {
    return (this.rows.get(level) ?? []).map((e) => e.id);
  }

  /** The nearest node of the same level to the left (−1) or right (+1), across parents. */
  rowNeighbour(id: string, direction: -1 | 1): string | null {
    const entry = this.entries.get(id);
    return entry ? (this.rows.get(entry.level)?.[entry.rank + direction]?.id ?? null) : null;
  }

  /** The box around every card; null when there is none. */
  bounds(): Box | null {
    if (this.deepest < 0) return null;
    return {
      minX: this.minSlot * SLOT,
      minY: this.shallowest * ROW,
      maxX: this.maxSlot * SLOT + NODE_WIDTH,
      maxY: this.deepest * ROW + NODE_HEIGHT,
    };
  }

  /** The box around one level's cards; null when it has none. */
  rowBounds(level: number): Box | null {
    const row = this.rows.get(level);
    if (!row) return null;
    const first = this.point(row[0]!);
    return { minX: first.x, minY: first.y, maxX: this.point(row.at(-1)!).x + NODE_WIDTH, maxY: first.y + NODE_HEIGHT };
  }

  /**
   * Calls `fn` for every node whose card meets `box`, row by row from the top, each row left to
   * right, until it returns false. Each row is searched, not walked.
   */
  visit(box: Box, fn: (node: Placed) => unknown): void {
    const top = Math.max(this.shallowest, Math.floor((box.minY - NODE_HEIGHT) / ROW));
    const bottom = Math.min(this.deepest, Math.ceil(box.maxY / ROW));
    for (let level = top; level <= bottom; level++) {
      const row = this.rows.get(level);
      const y = level * ROW;
      if (!row || y + NODE_HEIGHT <= box.minY || y >= box.maxY) continue;
      // The first card that ends right of box.minX.
      let lo = 0;
      let hi = row.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.point(row[mid]!).x + NODE_WIDTH <= box.minX) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < row.length; i++) {
        const entry = row[i]!;
        const at = this.point(entry);
        if (at.x >= box.maxX) break;
        const parent = this.parentEntry(entry);
        const placed = { id: entry.id, index: entry.index, level, ...at, parent: parent ? this.point(parent) : null };
        if (fn(placed) === false) return;
      }
    }
  }
}
