// The run view's beam tree, its pure parts: which node each arrow key moves to, which nodes a
// search finds and in what order, and where the viewport goes (fit, follow, reveal), on trees
// drawn by hand below.
import { describe, expect, it } from 'vitest';
import { findNodes } from '../../src/renderer/src/screens/runs/findNodes.js';
import { indexTree, nextNodeId } from '../../src/renderer/src/screens/runs/treeNavigation.js';
import { followViewport, revealViewport } from '../../src/renderer/src/screens/runs/treeViewport.js';

//                 r                 level 0      x = 100
//            /         \
//           a           b           level 1      x = 0, 200
//         /   \          \
//       a1     a2         b1        level 2      x = -60, 60, 200
// c (a child of b) has no position yet: laid out with the next layout.
const NODES = [
  { id: 'b1', parentId: 'b', level: 2 },
  { id: 'b', parentId: 'r', level: 1 },
  { id: 'c', parentId: 'b', level: 2 },
  { id: 'a2', parentId: 'a', level: 2 },
  { id: 'r', parentId: null, level: 0 },
  { id: 'a', parentId: 'r', level: 1 },
  { id: 'a1', parentId: 'a', level: 2 },
];
const POSITIONS = new Map([
  ['r', { x: 100, y: 0 }],
  ['a', { x: 0, y: 108 }],
  ['b', { x: 200, y: 108 }],
  ['a1', { x: -60, y: 216 }],
  ['a2', { x: 60, y: 216 }],
  ['b1', { x: 200, y: 216 }],
]);

describe('arrow keys', () => {
  const index = indexTree(NODES, POSITIONS);

  it('orders the laid-out nodes top-down, each level left to right', () => {
    expect(index.order).toEqual(['r', 'a', 'b', 'a1', 'a2', 'b1']);
    expect(index.deepest).toBe(2);
  });

  it('up: the parent; none above the root', () => {
    expect(nextNodeId(index, 'a1', 'ArrowUp')).toBe('a');
    expect(nextNodeId(index, 'b1', 'ArrowUp')).toBe('b');
    expect(nextNodeId(index, 'a', 'ArrowUp')).toBe('r');
    expect(nextNodeId(index, 'r', 'ArrowUp')).toBeNull();
  });

  it('down: the leftmost child, whatever the run order; none below a leaf; not a node without a position', () => {
    expect(nextNodeId(index, 'r', 'ArrowDown')).toBe('a');
    expect(nextNodeId(index, 'a', 'ArrowDown')).toBe('a1');
    expect(nextNodeId(index, 'b', 'ArrowDown')).toBe('b1');
    expect(nextNodeId(index, 'a1', 'ArrowDown')).toBeNull();
  });

  it('left and right: the neighbours in the level, across parents; none past either end', () => {
    expect(nextNodeId(index, 'a1', 'ArrowRight')).toBe('a2');
    expect(nextNodeId(index, 'a2', 'ArrowRight')).toBe('b1');
    expect(nextNodeId(index, 'b1', 'ArrowLeft')).toBe('a2');
    expect(nextNodeId(index, 'a', 'ArrowRight')).toBe('b');
    expect(nextNodeId(index, 'a1', 'ArrowLeft')).toBeNull();
    expect(nextNodeId(index, 'b1', 'ArrowRight')).toBeNull();
    expect(nextNodeId(index, 'r', 'ArrowLeft')).toBeNull();
  });

  it('from no node (or one not laid out): the root', () => {
    expect(nextNodeId(index, null, 'ArrowDown')).toBe('r');
    expect(nextNodeId(index, 'c', 'ArrowLeft')).toBe('r');
    expect(nextNodeId(indexTree([], new Map()), null, 'ArrowDown')).toBeNull();
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
  const order = ['n1', 'n2', 'n12', 'n3', 'n4'];

  it('matches the id, the prompt, the query, the answer or the error, ignoring case and outer spaces, in layout order', () => {
    expect(findNodes(nodes, 'politely', order)).toEqual(['n2']);
    expect(findNodes(nodes, '  LOCK ', order)).toEqual(['n2', 'n3']);
    expect(findNodes(nodes, 'be brief', order)).toEqual(['n12', 'n3', 'n4']);
    expect(findNodes(nodes, 'unusable', order)).toEqual(['n4']);
    expect(findNodes(nodes, 'no such words', order)).toEqual([]);
  });

  it('puts the node whose id is exactly what was typed first', () => {
    // n12 comes before n1 in this layout.
    expect(findNodes(nodes, 'n1', ['n12', 'n1', 'n2'])).toEqual(['n1', 'n12']);
    expect(findNodes(nodes, 'N12', order)).toEqual(['n12']);
  });

  it('finds nothing for nothing typed; a match not laid out yet comes last', () => {
    expect(findNodes(nodes, '   ', order)).toEqual([]);
    expect(findNodes(nodes, 'brief', ['n3'])).toEqual(['n3', 'n12', 'n4']);
  });
});

describe('the viewport', () => {
  const card = { width: 112, height: 52 };
  const pane = { width: 800, height: 600 };

  it('fits a small tree whole, no closer than 1.25', () => {
    // Box x −64…176, y 0…160: zoom min(752 / 240, 552 / 160) = 3.13 → 1.25, centred on (56, 80).
    const positions = new Map([
      ['r', { x: 0, y: 0 }],
      ['a', { x: -64, y: 108 }],
      ['b', { x: 64, y: 108 }],
    ]);
    const input = { positions, newest: ['a', 'b'], rootId: 'r', pane, card };
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
    const positions = new Map(Array.from({ length: 30 }, (_, i) => [`t${i}`, { x: 0, y: i * 108 }] as const));
    const input = { positions, newest: ['t29'], rootId: 't0', pane, card };
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
    expect(followViewport({ ...input, positions: new Map(), running: true })).toBeNull();
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
});
