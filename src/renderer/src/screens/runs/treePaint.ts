// How a node is painted where it is a box rather than a card (zoomed out, the minimap): the card's
// colour by kind and reward, faded when pruned. Canvas colours cannot read the stylesheet's
// variables, so these are fixed, close to the cards' own.
import type { TreeNode } from '../../../../shared/studioApi';
import { rewardHue } from '../../shell/format';
import { nodeKind } from './nodeKind';

/** A box's colour, as a small number: hue × 2 + faded for a scored node, 1000 + faded otherwise. */
function colourKey(node: TreeNode, pruned: boolean): number {
  const faded = pruned ? 1 : 0;
  switch (nodeKind(node)) {
    case 'scored':
      return Math.round(rewardHue(node.reward!)) * 2 + faded;
    case 'failed':
      return 1000 + faded;
    case 'pending':
      return 1002 + faded;
  }
}

function colourOf(key: number): string {
  const alpha = key % 2 === 1 ? 0.35 : 1;
  if (key >= 1002) return `hsl(220 6% 78% / ${alpha})`;
  if (key >= 1000) return `hsl(220 6% 50% / ${alpha})`;
  return `hsl(${Math.floor(key / 2)} 70% 45% / ${alpha})`;
}

/**
 * Paints many boxes of few colours: gathered by colour, so the canvas parses each colour once
 * (setting fillStyle per box cost more than drawing it, at 10,000 boxes).
 */
export class BoxPainter {
  private readonly byColour = new Map<number, number[]>();

  add(node: TreeNode, pruned: boolean, x: number, y: number): void {
    const key = colourKey(node, pruned);
    const at = this.byColour.get(key);
    if (at) at.push(x, y);
    else this.byColour.set(key, [x, y]);
  }

  paint(context: CanvasRenderingContext2D, width: number, height: number): void {
    for (const [key, at] of this.byColour) {
      context.fillStyle = colourOf(key);
      for (let i = 0; i < at.length; i += 2) context.fillRect(at[i]!, at[i + 1]!, width, height);
    }
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
