// Top-down positions of the search tree's nodes, by dagre. Pure; callers recompute it only when
// the set of nodes changes (scores and beam membership move nothing).
import dagre from '@dagrejs/dagre';

export const NODE_WIDTH = 112;
export const NODE_HEIGHT = 52;

export type Positions = Map<string, { x: number; y: number }>;

/** What the layout needs of a node (small enough to post to a worker). */
export interface LayoutNode {
  id: string;
  parentId: string | null;
  level: number;
}

export function layoutTree(nodes: readonly LayoutNode[]): Positions {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 56, marginx: 8, marginy: 8, ranker: 'tight-tree' });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((n) => n.id));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const node of nodes) if (node.parentId !== null && ids.has(node.parentId)) graph.setEdge(node.parentId, node.id);
  dagre.layout(graph);
  const positions: Positions = new Map();
  for (const node of nodes) {
    const laid = graph.node(node.id) as { x: number; y: number } | undefined;
    // dagre gives centres; React Flow wants top-left corners.
    positions.set(
      node.id,
      laid ? { x: laid.x - NODE_WIDTH / 2, y: laid.y - NODE_HEIGHT / 2 } : { x: 0, y: node.level * (NODE_HEIGHT + 56) },
    );
  }
  return positions;
}
