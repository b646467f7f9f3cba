// The beam tree's layout (treeLayout.ts), packed by rows: levels are rows ROW = 52 + 56 = 108 px
// apart, slots SLOT = 112 + 16 = 128 px wide, the first root at x = 0. A row is laid out from the
// one above: roots first, then each parent's children in the parents' left-to-right order (each
// family in arrival order). Each card wants to be where its family is centred under its parent
// (card j of a family of k at parent − (k−1)/2 + j; roots at 0, 1, …); the row takes the places
// nearest to those in the least-squares sense with every card at least a slot right of its left
// neighbour: cards pooled together move by the same amount, the mean of their wanted moves. Positions
// below are worked out by hand from that rule (in slots, then × 128); what is in view, from the
// cards' boxes (112 × 52) against the pane's box in tree pixels.
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

//              r                  r on slot 0
//        /     |     \
//       a      b      c           its family of 3 centred under it: slots −1, 0, 1
const THREE = [n('r', null, 0), n('a', 'r', 1), n('b', 'r', 1), n('c', 'r', 1)];

describe('the layout', () => {
  it('a root over its three children, in the order they arrived', () => {
    const layout = laidOut(THREE);
    expect(at(layout, ['r', 'a', 'b', 'c'])).toEqual({
      r: { x: 0, y: 0 },
      a: { x: -128, y: 108 },
      b: { x: 0, y: 108 },
      c: { x: 128, y: 108 },
    });
    // Slots −1 … 1: −128 … 128 + 112; two rows: 0 … 108 + 52.
    expect(layout.bounds()).toEqual({ minX: -128, minY: 0, maxX: 240, maxY: 160 });
    expect(layout.rootId).toBe('r');
    expect(layout.row(1)).toEqual(['a', 'b', 'c']);
  });

  it('a node added moves nothing above its row, and on its row only the cards it crowds, evenly', () => {
    //        r                      r on 0; a, b, c on −1, 0, 1
    //     /  |  \
    //    a   b   c
    //    |   |   |
    //   a1  b1  c1                  each under its parent: −1, 0, 1
    const nodes = [...THREE, n('a1', 'a', 2), n('c1', 'c', 2), n('b1', 'b', 2)];
    const layout = laidOut(nodes);
    expect(at(layout, ['a1', 'b1', 'c1'])).toEqual({
      a1: { x: -128, y: 216 },
      b1: { x: 0, y: 216 },
      c1: { x: 128, y: 216 },
    });
    const before = layout.version;
    // b2: b's family of two wants −0.5, 0.5, but a1 holds −1 and c1 holds 1. Wanted minus rank:
    // a1 −1 − 0, b1 −0.5 − 1, b2 0.5 − 2, c1 1 − 3 = −1, −1.5, −1.5, −2: all four pooled at their
    // mean −1.5, so a1 −1.5, b1 −0.5, b2 0.5, c1 1.5: each outer card half a slot out, b's centred.
    expect(layout.sync([...nodes, n('b2', 'b', 2)])).toBe(true);
    expect(layout.version).toBe(before + 1);
    expect(at(layout, ['r', 'a', 'b', 'c', 'a1', 'b1', 'b2', 'c1'])).toEqual({
      r: { x: 0, y: 0 },
      a: { x: -128, y: 108 },
      b: { x: 0, y: 108 },
      c: { x: 128, y: 108 },
      a1: { x: -192, y: 216 },
      b1: { x: -64, y: 216 },
      b2: { x: 64, y: 216 },
      c1: { x: 192, y: 216 },
    });
    expect(layout.bounds()).toEqual({ minX: -192, minY: 0, maxX: 192 + 112, maxY: 216 + 52 });
  });

  it('families that would overlap share the push by their size', () => {
    // r 0; a, b −0.5, 0.5. a's three want −1.5, −0.5, 0.5; b's one wants 0.5. Wanted minus rank:
    // −1.5, −1.5, −1.5, 0.5 − 3 = −2.5: pooled at (−4.5 − 2.5) / 4 = −1.75, so a1 −1.75, a2 −0.75,
    // a3 0.25, b1 1.25 — a's three a quarter slot left, b's one three quarters right.
    const layout = laidOut([
      n('r', null, 0),
      n('a', 'r', 1),
      n('b', 'r', 1),
      n('b1', 'b', 2),
      n('a1', 'a', 2),
      n('a2', 'a', 2),
      n('a3', 'a', 2),
    ]);
    expect(at(layout, ['r', 'a', 'b', 'a1', 'a2', 'a3', 'b1'])).toEqual({
      r: { x: 0, y: 0 },
      a: { x: -64, y: 108 },
      b: { x: 64, y: 108 },
      a1: { x: -224, y: 216 },
      a2: { x: -96, y: 216 },
      a3: { x: 32, y: 216 },
      b1: { x: 160, y: 216 },
    });
    // a row left to right, across families (b1 came first, but its parent is right of a); neighbours across parents.
    expect(layout.row(2)).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(layout.rowBounds(2)).toEqual({ minX: -224, minY: 216, maxX: 160 + 112, maxY: 268 });
    expect(layout.rowBounds(7)).toBeNull();
    expect(layout.rowNeighbour('a3', 1)).toBe('b1');
    expect(layout.rowNeighbour('b1', -1)).toBe('a3');
    expect(layout.rowNeighbour('a1', -1)).toBeNull();
    expect(layout.firstChildOf('b')).toBe('b1');
    expect(layout.firstChildOf('b1')).toBeNull();
  });

  it('a node added on the right moves nothing on its left', () => {
    const layout = laidOut([...THREE, n('c1', 'c', 2), n('c2', 'c', 2)]);
    // c's children at c ∓ 0.5 (0.5, 1.5); r, a, b, c stay where THREE put them.
    expect(at(layout, ['r', 'a', 'b', 'c', 'c1', 'c2'])).toEqual({
      r: { x: 0, y: 0 },
      a: { x: -128, y: 108 },
      b: { x: 0, y: 108 },
      c: { x: 128, y: 108 },
      c1: { x: 64, y: 216 },
      c2: { x: 192, y: 216 },
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
    const nodes = [n('x', 'p', 2), n('r', null, 0), n('y', null, 2)];
    layout.sync(nodes);
    // Roots start their row at 0 in arrival order: x 0, y 1 on level 2; r 0 on level 0.
    expect(at(layout, ['x', 'y', 'r'])).toEqual({ x: { x: 0, y: 216 }, y: { x: 128, y: 216 }, r: { x: 0, y: 0 } });
    expect(layout.parentOf('x')).toBeNull();
    // The top row's first: what the view starts from.
    expect(layout.rootId).toBe('r');
    layout.sync([...nodes, n('p', 'r', 1)]);
    // p under r (0). Level 2: the root y first, wanting 0; then x, under p, wanting 0. Wanted minus
    // rank: 0, −1: pooled at −0.5, so y −0.5, x 0.5.
    expect(at(layout, ['r', 'p', 'y', 'x'])).toEqual({
      r: { x: 0, y: 0 },
      p: { x: 0, y: 108 },
      y: { x: -64, y: 216 },
      x: { x: 64, y: 216 },
    });
    expect(layout.rootId).toBe('r');
    expect(layout.parentOf('x')).toBe('p');
  });

  it('parents that name each other do not make a cycle', () => {
    // a names b, a level below it: no parent a row up, so a root; b names a, a level above: its child.
    const layout = laidOut([n('a', 'b', 1), n('b', 'a', 2), n('a', 'zz', 5)]);
    expect(layout.size).toBe(2);
    expect(layout.parentOf('b')).toBe('a');
    expect(layout.parentOf('a')).toBeNull();
    expect(at(layout, ['a', 'b'])).toEqual({ a: { x: 0, y: 108 }, b: { x: 0, y: 216 } });
  });
});

describe('what is in view', () => {
  // Slots: r 0; a, b, c −1, 0, 1; a1, a2 under a: −1.5, −0.5. So r (0, 0); a (−128, 108),
  // b (0, 108), c (128, 108); a1 (−192, 216), a2 (−64, 216).
  const layout = laidOut([...THREE, n('a1', 'a', 2), n('a2', 'a', 2)]);
  const pane = { width: 300, height: 200 };
  const ids = (viewport: { x: number; y: number; zoom: number }, margin = 0) =>
    nodesInView(layout, viewport, pane, margin).map((p) => p.id);

  it('at zoom 1 from the origin: the pane is tree box 0…300 × 0…200', () => {
    expect(viewBox({ x: 0, y: 0, zoom: 1 }, pane)).toEqual({ minX: 0, minY: 0, maxX: 300, maxY: 200 });
    // a (−128…−16) ends left of 0; c (128…240) fits; level 2 starts at y = 216.
    expect(ids({ x: 0, y: 0, zoom: 1 })).toEqual(['r', 'b', 'c']);
  });

  it('zoomed to 0.5: the tree box 0…600 × 0…400', () => {
    expect(viewBox({ x: 0, y: 0, zoom: 0.5 }, pane)).toEqual({ minX: 0, minY: 0, maxX: 600, maxY: 400 });
    // a (−128…−16) and a1 (−192…−80) end left of 0; a2 (−64…48) reaches past it. Row by row, left to right.
    expect(ids({ x: 0, y: 0, zoom: 0.5 })).toEqual(['r', 'b', 'c', 'a2']);
  });

  it('a margin of 20 screen pixels: box −20…320 × −20…220 takes a (to −16) and the row just below', () => {
    expect(ids({ x: 0, y: 0, zoom: 1 }, 20)).toEqual(['r', 'a', 'b', 'c', 'a2']);
  });

  it("gives each node its parent's corner, for the edges", () => {
    const a2 = nodesInView(layout, { x: 0, y: 0, zoom: 0.5 }, pane).find((p) => p.id === 'a2');
    expect(a2).toMatchObject({ x: -64, y: 216, level: 2, index: 5, parent: { x: -128, y: 108 } });
    expect(nodesInView(layout, { x: 0, y: 0, zoom: 1 }, pane)[0]!.parent).toBeNull();
  });

  it('moved past the tree: nothing', () => {
    expect(ids({ x: 2000, y: 0, zoom: 1 })).toEqual([]);
    expect(ids({ x: 0, y: -1000, zoom: 1 })).toEqual([]);
  });
});

/**
 * A beam search's tree as the engine grows it: W beam nodes per level, M children each, level by
 * level, the next beam the W best-scored of the level (scores from a seeded generator), so lines
 * of the search die and branch as in a real run.
 */
function beamTree(count: number, width: number, samples: number) {
  let seed = 7;
  const score = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const nodes = [n('0', null, 0)];
  let beam = ['0'];
  for (let level = 1; nodes.length < count; level++) {
    const row: { id: string; score: number }[] = [];
    for (const parent of beam)
      for (let m = 0; m < samples && nodes.length < count; m++) {
        const id = `${parent}.${m}`;
        nodes.push(n(id, parent, level));
        row.push({ id, score: score() });
      }
    beam = row
      .sort((a, b) => b.score - a.score)
      .slice(0, width)
      .map((x) => x.id);
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
    // The rule holds everywhere: a level's cards left to right at least a slot apart, each family
    // side by side in arrival order, exactly a slot apart; and no card is further from where it
    // wants to be than the row is wide (the pooling spreads pushes, it never piles them up).
    const place = new Map(nodes.map((x) => [x.id, layout.positionOf(x.id)!]));
    const parentOf = new Map(nodes.map((x) => [x.id, x.parentId]));
    const broken: string[] = [];
    let furthest = 0;
    for (let level = 1; level <= layout.deepest; level++) {
      const row = layout.row(level);
      for (let i = 1; i < row.length; i++) {
        const gap = place.get(row[i]!)!.x - place.get(row[i - 1]!)!.x;
        const sameFamily = parentOf.get(row[i]!) === parentOf.get(row[i - 1]!);
        if (sameFamily ? Math.abs(gap - 128) > 1e-6 : gap < 128 - 1e-6)
          broken.push(`${row[i - 1]} → ${row[i]}: ${gap}`);
      }
      for (let i = 0; i < row.length; ) {
        let end = i + 1;
        while (end < row.length && parentOf.get(row[end]!) === parentOf.get(row[i]!)) end++;
        const centre = (place.get(row[i]!)!.x + place.get(row[end - 1]!)!.x) / 2;
        furthest = Math.max(furthest, Math.abs(centre - place.get(parentOf.get(row[i]!)!)!.x) / 128);
        i = end;
      }
    }
    expect(broken).toEqual([]);
    expect(furthest).toBeLessThan(110);
    // A few times as wide as its widest level (110 cards), as its lines of search wander (each row
    // centred under the beam that survived the row above), not every line the search ever followed
    // side by side: a tidy tree made such a run 29 times as wide, a push-right row packing 8 times.
    const widest = Math.max(...Array.from({ length: layout.deepest + 1 }, (_, l) => layout.row(l).length));
    expect(widest).toBe(110);
    const { minX, maxX } = layout.bounds()!;
    expect(maxX - minX).toBeLessThan(5 * widest * 128);

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
        `${Math.round(maxX - minX)} px wide (its widest level ${widest} cards: ${widest * 128} px), families at most ${furthest.toFixed(1)} slots from under their parent`,
    );
  });
});
