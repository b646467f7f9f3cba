// The beam tree's layout (treeLayout.ts), a tidy tree: levels are rows ROW = 52 + 56 = 108 px
// apart; a node's children are placed left to right in the order they arrived, the first at 0,
// each next one at the smallest x that keeps it at least one slot (SLOT = 112 + 16 = 128 px) right
// of every earlier sibling's subtree at every depth they share; a node is centred over its first
// and last child that has children (none: its first and last child); the leftmost card is at x = 0. Positions below are worked out by hand from that
// rule (in slots, then × 128); what is in view, from the cards' boxes (112 × 52) against the
// pane's box in tree pixels.
import { describe, expect, it } from 'vitest';
import { TreeLayout } from '../../src/renderer/src/screens/runs/treeLayout.js';
import { nodesInView, viewBox } from '../../src/renderer/src/screens/runs/treeViewport.js';

const n = (id: string, parentId: string | null, level: number) => ({ id, parentId, level });

function laidOut(nodes: { id: string; parentId: string | null; level: number }[]) {
  const layout = new TreeLayout();
  layout.sync(nodes);
  return layout;
}
const at = (layout: TreeLayout, ids: string[]) => Object.fromEntries(ids.map((id) => [id, layout.positionOf(id)]));

//              r                  r runs over slots 0…2: x = 1 × 128
//        /     |     \
//       a      b      c           slots 0, 1, 2
const THREE = [n('r', null, 0), n('a', 'r', 1), n('b', 'r', 1), n('c', 'r', 1)];

describe('the layout', () => {
  it('a root over its three children, in the order they arrived', () => {
    const layout = laidOut(THREE);
    expect(at(layout, ['r', 'a', 'b', 'c'])).toEqual({
      r: { x: 128, y: 0 },
      a: { x: 0, y: 108 },
      b: { x: 128, y: 108 },
      c: { x: 256, y: 108 },
    });
    // 3 slots: 0 … 3 × 128 − 16; two rows: 0 … 108 + 52.
    expect(layout.bounds()).toEqual({ minX: 0, minY: 0, maxX: 368, maxY: 160 });
    expect(layout.rootId).toBe('r');
  });

  it("a node's first child moves nothing; a second one shifts the right-hand neighbours by exactly one slot", () => {
    //        r                     r
    //      /   \                 /   \
    //     a     b      →        a     b
    //     |     |              / \    |
    //     a1    b1            a1 a2   b1
    // Before: b one slot right of a (at depths 0 and 1); r at 0.5 → 64.
    const nodes = [n('r', null, 0), n('a', 'r', 1), n('b', 'r', 1), n('a1', 'a', 2), n('b1', 'b', 2)];
    const layout = laidOut(nodes);
    expect(at(layout, ['r', 'a', 'b', 'a1', 'b1'])).toEqual({
      r: { x: 64, y: 0 },
      a: { x: 0, y: 108 },
      b: { x: 128, y: 108 },
      a1: { x: 0, y: 216 },
      b1: { x: 128, y: 216 },
    });
    const before = layout.version;
    expect(layout.sync([...nodes, n('a2', 'a', 2)])).toBe(true);
    expect(layout.version).toBe(before + 1);
    // a's children at 0 and 1, a over 0.5; b must clear a2 (0.5 right of a) at depth 1: b at a + 1.5,
    // r over a + 0.75. a1, the leftmost card, stays at 0; b and b1 move one slot right.
    expect(at(layout, ['r', 'a', 'b', 'a1', 'a2', 'b1'])).toEqual({
      r: { x: 160, y: 0 },
      a: { x: 64, y: 108 },
      b: { x: 256, y: 108 },
      a1: { x: 0, y: 216 },
      a2: { x: 128, y: 216 },
      b1: { x: 256, y: 216 },
    });
    // Slots 0 … 2 (b1): 2 × 128 + 112; rows 0 … 2 × 108 + 52.
    expect(layout.bounds()).toEqual({ minX: 0, minY: 0, maxX: 368, maxY: 268 });
  });

  it('a subtree sits under a leaf neighbour where their rows allow', () => {
    // r's children a, b, c at 0, 1, 2, r over a (the one with children); a's children a1, a2 at
    // a ∓ 0.5: a1 reaches left of a by half a slot, so the whole shifts right by that: r and a at
    // 0.5, b 1.5, c 2.5, a1 0, a2 1 (under b's row, clear of it).
    const layout = laidOut([...THREE, n('a1', 'a', 2), n('a2', 'a', 2)]);
    expect(at(layout, ['r', 'a', 'b', 'c', 'a1', 'a2'])).toEqual({
      r: { x: 64, y: 0 },
      a: { x: 64, y: 108 },
      b: { x: 192, y: 108 },
      c: { x: 320, y: 108 },
      a1: { x: 0, y: 216 },
      a2: { x: 128, y: 216 },
    });
    expect(layout.rowBounds(1)).toEqual({ minX: 64, minY: 108, maxX: 432, maxY: 160 });
    expect(layout.rowBounds(7)).toBeNull();
  });

  it('a node added on the right moves nothing on its left', () => {
    const layout = laidOut([...THREE, n('c1', 'c', 2), n('c2', 'c', 2)]);
    // c's children at c ∓ 0.5; a and b stay where THREE put them; r moves over c, its child with children.
    expect(at(layout, ['r', 'a', 'b', 'c', 'c1', 'c2'])).toEqual({
      r: { x: 256, y: 0 },
      a: { x: 0, y: 108 },
      b: { x: 128, y: 108 },
      c: { x: 256, y: 108 },
      c1: { x: 192, y: 216 },
      c2: { x: 320, y: 216 },
    });
  });

  it('takes only what was added since the last sync; a list that does not continue the last is a new tree', () => {
    const layout = laidOut(THREE);
    const version = layout.version;
    expect(layout.sync(THREE)).toBe(false);
    expect(layout.version).toBe(version);
    layout.sync([n('s', null, 0), n('t', 's', 1)]);
    expect(layout.has('r')).toBe(false);
    expect(layout.size).toBe(2);
    expect(at(layout, ['s', 't'])).toEqual({ s: { x: 0, y: 0 }, t: { x: 0, y: 108 } });
    layout.sync([]);
    expect(layout.size).toBe(0);
    expect(layout.bounds()).toBeNull();
  });

  it('a child that arrives before its parent stands as a root until the parent comes, then moves under it', () => {
    const layout = new TreeLayout();
    const nodes = [n('x', 'p', 2), n('r', null, 0)];
    layout.sync(nodes);
    // Two roots side by side: x on slot 0, r on slot 1.
    expect(at(layout, ['x', 'r'])).toEqual({ x: { x: 0, y: 216 }, r: { x: 128, y: 0 } });
    expect(layout.rootId).toBe('x');
    layout.sync([...nodes, n('p', 'r', 1)]);
    expect(at(layout, ['r', 'p', 'x'])).toEqual({ r: { x: 0, y: 0 }, p: { x: 0, y: 108 }, x: { x: 0, y: 216 } });
    expect(layout.rootId).toBe('r');
    expect(layout.parentOf('x')).toBe('p');
  });

  it('parents that name each other do not make a cycle', () => {
    const layout = laidOut([n('a', 'b', 1), n('b', 'a', 2), n('a', 'zz', 5)]);
    expect(layout.size).toBe(2);
    expect(layout.parentOf('b')).toBe('a');
    expect(layout.parentOf('a')).toBeNull();
    expect(at(layout, ['a', 'b'])).toEqual({ a: { x: 0, y: 108 }, b: { x: 0, y: 216 } });
  });
});

describe('what is in view', () => {
  // r (64, 0); a (64, 108), b (192, 108), c (320, 108); a1 (0, 216), a2 (128, 216).
  const layout = laidOut([...THREE, n('a1', 'a', 2), n('a2', 'a', 2)]);
  const pane = { width: 300, height: 200 };
  const ids = (viewport: { x: number; y: number; zoom: number }, margin = 0) =>
    nodesInView(layout, viewport, pane, margin).map((p) => p.id);

  it('at zoom 1 from the origin: the pane is tree box 0…300 × 0…200', () => {
    expect(viewBox({ x: 0, y: 0, zoom: 1 }, pane)).toEqual({ minX: 0, minY: 0, maxX: 300, maxY: 200 });
    // b (192…304) crosses x = 300; c starts at 320; level 2 starts at y = 216.
    expect(ids({ x: 0, y: 0, zoom: 1 })).toEqual(['r', 'a', 'b']);
  });

  it('zoomed to 0.5 and moved 100 px left: the tree box 200…800 × 0…400', () => {
    expect(viewBox({ x: -100, y: 0, zoom: 0.5 }, pane)).toEqual({ minX: 200, minY: 0, maxX: 800, maxY: 400 });
    // r and a (64…176) and a1 (0…112) end left of 200; a2 (128…240) reaches past it. Depth first: a2 under a, before b.
    expect(ids({ x: -100, y: 0, zoom: 0.5 })).toEqual(['a2', 'b', 'c']);
  });

  it('a margin of 20 screen pixels takes the row just below: box −20…320 × −20…220 (c starts at 320)', () => {
    expect(ids({ x: 0, y: 0, zoom: 1 }, 20)).toEqual(['r', 'a', 'a1', 'a2', 'b']);
  });

  it("gives each node its parent's corner, for the edges", () => {
    const a2 = nodesInView(layout, { x: -100, y: 0, zoom: 0.5 }, pane).find((p) => p.id === 'a2');
    expect(a2).toMatchObject({ x: 128, y: 216, level: 2, index: 5, parent: { x: 64, y: 108 } });
    expect(nodesInView(layout, { x: 0, y: 0, zoom: 1 }, pane)[0]!.parent).toBeNull();
  });

  it('moved past the tree: nothing', () => {
    expect(ids({ x: 2000, y: 0, zoom: 1 })).toEqual([]);
    expect(ids({ x: 0, y: -1000, zoom: 1 })).toEqual([]);
  });
});

/** A beam search's tree as the engine grows it: W beam nodes per level, M children each, level by level. */
function beamTree(count: number, width: number, samples: number) {
  const nodes = [n('0', null, 0)];
  let beam = ['0'];
  for (let level = 1; nodes.length < count; level++) {
    const row: string[] = [];
    for (const parent of beam)
      for (let m = 0; m < samples && nodes.length < count; m++) {
        const id = `${parent}.${m}`;
        nodes.push(n(id, parent, level));
        row.push(id);
      }
    // The beam: W of the level, spread over its parents.
    const step = Math.max(1, Math.floor(row.length / width));
    beam = row.filter((_, i) => i % step === 0).slice(0, width);
  }
  return nodes;
}

describe('at 10,000 nodes', () => {
  it('lays out in one pass and answers a view without visiting the whole tree (figures printed)', () => {
    const nodes = beamTree(10_000, 10, 11);
    // The first layout runs cold (not yet compiled), as it does when a run opens; then warm.
    const times: number[] = [];
    let layout = new TreeLayout();
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      layout = laidOut(nodes);
      times.push(performance.now() - t0);
    }
    let t = performance.now();
    expect(layout.size).toBe(10_000);
    // The rule holds everywhere: a level's cards at least a slot apart; a parent over the middle of
    // its first and last child with children (or of its first and last child).
    const place = new Map(nodes.map((x) => [x.id, layout.positionOf(x.id)!]));
    let closest = Number.POSITIVE_INFINITY;
    for (let level = 0; level <= layout.deepest; level++) {
      const xs = layout
        .row(level)
        .map((id) => place.get(id)!.x)
        .sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i++) closest = Math.min(closest, xs[i]! - xs[i - 1]!);
    }
    expect(closest).toBeGreaterThanOrEqual(128);
    const children = new Map<string, string[]>();
    for (const x of nodes.slice(1)) children.set(x.parentId!, [...(children.get(x.parentId!) ?? []), x.id]);
    const offCentre = [...children].filter(([parent, kids]) => {
      const inner = kids.filter((id) => children.has(id));
      const over = inner.length > 0 ? inner : kids;
      return place.get(parent)!.x !== (place.get(over[0]!)!.x + place.get(over.at(-1)!)!.x) / 2;
    });
    expect(offCentre).toEqual([]);
    // About as wide as its widest level (110), not its 9,000-odd leaves side by side.
    expect(layout.bounds()!.maxX).toBeLessThan(130 * 128);

    const incremental = new TreeLayout();
    const grown = nodes.slice(0, 9_000);
    incremental.sync(grown);
    t = performance.now();
    for (const node of nodes.slice(9_000)) {
      grown.push(node);
      incremental.sync(grown);
    }
    const perNode = (performance.now() - t) / 1000;
    const ids = nodes.map((x) => x.id);
    expect(at(incremental, ids)).toEqual(at(layout, ids));

    // A 1920 × 1080 pane at zoom 0.6 on the newest level.
    const newest = layout.rowBounds(layout.deepest)!;
    const viewport = { x: -newest.minX * 0.6, y: 540 - newest.minY * 0.6, zoom: 0.6 };
    t = performance.now();
    const inView = nodesInView(layout, viewport, { width: 1920, height: 1080 });
    const view = performance.now() - t;
    expect(inView.length).toBeGreaterThan(0);
    expect(inView.length).toBeLessThan(200);
    console.log(
      `treeLayout, 10,000 nodes (W 10, M 11, ${layout.deepest + 1} levels): full layout ${times[0]!.toFixed(1)} ms cold, ${Math.min(...times).toFixed(1)} ms warm; ` +
        `each of the last 1,000 nodes added ${(perNode * 1000).toFixed(0)} µs; ` +
        `nodes in a 1920×1080 view at 0.6 (${inView.length}) ${view.toFixed(2)} ms; ` +
        `${Math.round(layout.bounds()!.maxX)} px wide`,
    );
  });
});
