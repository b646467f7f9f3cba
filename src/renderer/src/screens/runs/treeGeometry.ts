// The tree's card size and spacing: a level is a row ROW pixels tall, a slot a column SLOT pixels
// wide (a card and the gap to its neighbour).

export const NODE_WIDTH = 112;
export const NODE_HEIGHT = 52;
/** Horizontal gap between neighbouring cards. */
export const SLOT_GAP = 16;
/** Vertical gap between levels. */
export const RANK_GAP = 56;
export const SLOT = NODE_WIDTH + SLOT_GAP;
export const ROW = NODE_HEIGHT + RANK_GAP;

export const CARD = { width: NODE_WIDTH, height: NODE_HEIGHT } as const;

/** What the layout needs of a node. */
export interface LayoutNode {
  id: string;
  parentId: string | null;
  level: number;
}
