// The tree's card size and the layout's data shapes: what the page needs of the layout without
// the layout library, which only the layout worker (and the no-worker fallback) loads.

export const NODE_WIDTH = 112;
export const NODE_HEIGHT = 52;
/** Vertical gap between levels. */
export const RANK_GAP = 56;

export type Positions = Map<string, { x: number; y: number }>;

/** What the layout needs of a node (small enough to post to a worker). */
export interface LayoutNode {
  id: string;
  parentId: string | null;
  level: number;
}

/** The layout worker's request and reply; `key` names the node set laid out. */
export interface LayoutRequest {
  key: string;
  nodes: LayoutNode[];
}
export interface LayoutReply {
  key: string;
  positions: [string, { x: number; y: number }][];
}
