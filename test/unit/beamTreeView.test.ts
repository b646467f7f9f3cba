// The run view's beam tree, its pure parts: which node each arrow key moves to, which nodes a
// search finds and in what order, and where the viewport goes (fit, follow, reveal), on trees
// drawn by hand below.
import { describe, expect, it } from 'vitest';
import { findNodes } from '../../src/renderer/src/screens/runs/findNodes.js';
import { TreeLayout } from '../../src/renderer/src/screens/runs/treeLayout.js';
import { nextNodeId } from '../../src/renderer/src/screens/runs/treeNavigation.js';
import { followViewport, revealViewport, zoomAbout } from '../../src/renderer/src/screens/runs/treeViewport.js';

//                 r                 level 0
//            /         \
//           a           b           level 1
//         /   \          \
//       a1     a2         b1        level 2
// c (a child of b) is not laid out: the layout has not been given it.
const layout = new TreeLayout();
layout.sync([
  { id: 'r', parentId: null, level: 0 },
  { id: 'a', parentId: 'r', level: 1 },
  { id: 'b', parentId: 'r', level: 1 },
  { id: 'a1', parentId: 'a', level: 2 },
  { id: 'b1', parentId: 'b', level: 2 },
  { id: 'a2', parentId: 'a', level: 2 },
]);

describe('arrow keys', () => {
  it('up: the parent; none above the root', () => {
    expect(nextNodeId(layout, 'a1', 'ArrowUp')).toBe('a');
    expect(nextNodeId(layout, 'b1', 'ArrowUp')).toBe('b');
    expect(nextNodeId(layout, 'a', 'ArrowUp')).toBe('r');
    expect(nextNodeId(layout, 'r', 'ArrowUp')).toBeNull();
  });

  it('down: the leftmost child; none below a leaf', () => {
    expect(nextNodeId(layout, 'r', 'ArrowDown')).toBe('a');
    expect(nextNodeId(layout, 'a', 'ArrowDown')).toBe('a1');
    expect(nextNodeId(layout, 'b', 'ArrowDown')).toBe('b1');
    expect(nextNodeId(layout, 'a1', 'ArrowDown')).toBeNull();
  });

  it('left and right: the neighbours in the level, across parents, in the layout (not the run) order; none past either end', () => {
    expect(nextNodeId(layout, 'a1', 'ArrowRight')).toBe('a2');
    expect(nextNodeId(layout, 'a2', 'ArrowRight')).toBe('b1');
    expect(nextNodeId(layout, 'b1', 'ArrowLeft')).toBe('a2');
    expect(nextNodeId(layout, 'a', 'ArrowRight')).toBe('b');
    expect(nextNodeId(layout, 'a1', 'ArrowLeft')).toBeNull();
    expect(nextNodeId(layout, 'b1', 'ArrowRight')).toBeNull();
    expect(nextNodeId(layout, 'r', 'ArrowLeft')).toBeNull();
  });

  it('from no node (or one not laid out): the root', () => {
    expect(nextNodeId(layout, null, 'ArrowDown')).toBe('r');
    expect(nextNodeId(layout, 'c', 'ArrowLeft')).toBe('r');
    expect(nextNodeId(new TreeLayout(), null, 'ArrowDown')).toBeNull();
  });
});

describe('finding nodes', () => {
  const node = (id: string, state: string, extra: { query?: string; output?: string; error?: string } = {}) => ({
    id,
    state,
    query: extra.query ?? '',
    ...(extra.output !== undefined && { output: extra.output }),
    ...(extra.error !== undefined && { error: extra.error }),
  });
  const nodes = [
    node('n12', 'Be brief.'),
    node('n1', 'You are a helpful assistant.'),
    node('n2', 'Refuse unsafe requests POLITELY.', { query: 'How do I pick a lock?' }),
    node('n3', 'Be brief.', { output: 'A lock is picked with a tension wrench.' }),
    node('n4', 'Be brief.', { error: 'judge reply unusable' }),
  ];
  /** Places in a layout: top-down, then left to right. */
  const placesOf =
    (order: string[]) =>
    (id: string): { x: number; y: number } | null =>
      order.includes(id) ? { x: order.indexOf(id) % 3, y: Math.floor(order.indexOf(id) / 3) } : null;
  const order = placesOf(['n1', 'n2', 'n12', 'n3', 'n4']);

  it('matches the id, the prompt, the query, the answer or the error, ignoring case and outer spaces, in layout order', () => {
    expect(findNodes(nodes, 'politely', order)).toEqual(['n2']);
    expect(findNodes(nodes, '  LOCK ', order)).toEqual(['n2', 'n3']);
    expect(findNodes(nodes, 'be brief', order)).toEqual(['n12', 'n3', 'n4']);
    expect(findNodes(nodes, 'unusable', order)).toEqual(['n4']);
    expect(findNodes(nodes, 'no such words', order)).toEqual([]);
  });

  it('puts the node whose id is exactly what was typed first', () => {
    // n12 comes before n1 in this layout.
    expect(findNodes(nodes, 'n1', placesOf(['n12', 'n1', 'n2']))).toEqual(['n1', 'n12']);
    expect(findNodes(nodes, 'N12', order)).toEqual(['n12']);
  });

  it('finds nothing for nothing typed; a match not laid out yet comes last', () => {
    expect(findNodes(nodes, '   ', order)).toEqual([]);
    expect(findNodes(nodes, 'brief', placesOf(['n3']))).toEqual(['n3', 'n12', 'n4']);
  });
});

describe('the viewport', () => {
  const card = { width: 112, height: 52 };
  const pane = { width: 800, height: 600 };

  it('fits a small tree whole, no closer than 1.25', () => {
    // Box x −64…176, y 0…160: zoom min(752 / 240, 552 / 160) = 3.13 → 1.25, centred on (56, 80).
    // Cards r (0, 0), a (−64, 108), b (64, 108).
    const input = {
      whole: { minX: -64, minY: 0, maxX: 176, maxY: 160 },
      newest: { minX: -64, minY: 108, maxX: 176, maxY: 160 },
      root: { x: 0, y: 0 },
      pane,
      card,
    };
    expect(followViewport({ ...input, running: true })).toEqual({
      zoom: 1.25,
      x: 400 - 56 * 1.25,
      y: 300 - 80 * 1.25,
      framing: 'tree',
    });
    expect(followViewport({ ...input, running: false })).toEqual({ zoom: 1.25, x: 330, y: 200, framing: 'tree' });
  });

  it('a tree too tall to fit legibly: its newest level while running, else its root, at 0.6', () => {
    // A chain of 30 levels: y 0…3184, zoom 552 / 3184 = 0.17 < 0.2.
    const input = {
      whole: { minX: 0, minY: 0, maxX: 112, maxY: 3184 },
      newest: { minX: 0, minY: 3132, maxX: 112, maxY: 3184 },
      root: { x: 0, y: 0 },
      pane,
      card,
    };
    // The last card (0, 3132) alone: as close as 1.25 allows, centred on (56, 3158).
    expect(followViewport({ ...input, running: true })).toEqual({
      zoom: 1.25,
      x: 330,
      y: 300 - 3158 * 1.25,
      framing: 'level',
    });
    expect(followViewport({ ...input, running: false })).toEqual({
      zoom: 0.6,
      x: 400 - 56 * 0.6,
      y: 16,
      framing: 'root',
    });
    expect(followViewport({ ...input, whole: null, running: true })).toBeNull();
  });

  it('reveals a card out of view by centring it; one in view stays put unless asked to centre', () => {
    const at1 = { x: 0, y: 0, zoom: 1 };
    expect(revealViewport({ x: 900, y: 10 }, at1, pane, card, false)).toEqual({ zoom: 1, x: 400 - 956, y: 300 - 36 });
    expect(revealViewport({ x: 10, y: 10 }, at1, pane, card, false)).toBeNull();
    expect(revealViewport({ x: 10, y: 10 }, at1, pane, card, true)).toEqual({ zoom: 1, x: 334, y: 264 });
    // From 0.1 (specks), a readable 0.6.
    expect(revealViewport({ x: 10, y: 10 }, { x: 0, y: 0, zoom: 0.1 }, pane, card, true)).toEqual({
      zoom: 0.6,
      x: 400 - 66 * 0.6,
      y: 300 - 36 * 0.6,
    });
  });

  it('zooms about a point of the pane, which stays where it was; within 0.02…1.25', () => {
    // The pane point (100, 50) shows tree point ((100 − 20) / 0.5, (50 − 10) / 0.5) = (160, 80).
    expect(zoomAbout({ x: 20, y: 10, zoom: 0.5 }, 2, { x: 100, y: 50 })).toEqual({ zoom: 1, x: -60, y: -30 });
    expect(zoomAbout({ x: 0, y: 0, zoom: 1 }, 4, { x: 0, y: 0 })).toEqual({ zoom: 1.25, x: 0, y: 0 });
    expect(zoomAbout({ x: 0, y: 0, zoom: 0.03 }, 0.5, { x: 0, y: 0 }).zoom).toBe(0.02);
    // Zoomed out further than that by a fit: zooming out from there stays put.
    expect(zoomAbout({ x: 0, y: 0, zoom: 0.001 }, 0.5, { x: 0, y: 0 }).zoom).toBe(0.001);
  });
});
