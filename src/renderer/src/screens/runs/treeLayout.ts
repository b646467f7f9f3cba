// Top-down positions of the search tree's nodes, by dagre. Pure. Only the layout worker imports
// it statically, so the page never bundles dagre (useTreeLayout loads it lazily as a fallback).
import dagre from '@dagrejs/dagre';
import { type LayoutNode, NODE_HEIGHT, NODE_WIDTH, type Positions, RANK_GAP } from './treeGeometry';

export function layoutTree(nodes: readonly LayoutNode[]): Positions {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: RANK_GAP, marginx: 8, marginy: 8, ranker: 'tight-tree' });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((n) => n.id));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const node of nodes) if (node.parentId !== null && ids.has(node.parentId)) graph.setEdge(node.parentId, node.id);
  dagre.layout(graph);
  const positions: Positions = new Map();
  for (const node of nodes) {
    const laid = graph.node(node.id) as { x: number; y: number } | undefined;
    // dagre gives centers; React Flow wants top-left corners.
    positions.set(
      node.id,
      laid
        ? { x: laid.x - NODE_WIDTH / 2, y: laid.y - NODE_HEIGHT / 2 }
        : { x: 0, y: node.level * (NODE_HEIGHT + RANK_GAP) },
    );
  }
  return positions;
}
