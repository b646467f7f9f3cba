// How a node is painted where it is a box rather than a card (zoomed out, the minimap): the card's
// colour by kind and reward, faded when pruned. Canvas colours cannot read the stylesheet's
// variables, so these are fixed, close to the cards' own.
import type { TreeNode } from '../../../../shared/studioApi';
import { rewardHue } from '../../shell/format';
import { nodeKind } from './nodeKind';

export function boxColour(node: TreeNode, pruned: boolean): string {
  const alpha = pruned ? 0.35 : 1;
  switch (nodeKind(node)) {
    case 'scored':
      return `hsl(${rewardHue(node.reward!)} 70% 45% / ${alpha})`;
    case 'failed':
      return `hsl(220 6% 50% / ${alpha})`;
    case 'pending':
      return `hsl(220 6% 78% / ${alpha})`;
  }
}

export const MATCH_COLOUR = '#d4a72c';
export const SELECTED_COLOUR = '#2f6fde';
export const EDGE_COLOUR = 'hsl(220 6% 55% / 0.6)';

/** A canvas sized to `width` × `height` CSS pixels at the screen's density, cleared, scaled to CSS pixels. */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return context;
}
