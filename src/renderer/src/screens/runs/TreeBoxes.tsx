// The beam tree zoomed out: each node in view a box of its card's colour (by kind and reward,
// faded when pruned; the selection and the search's matches ringed), the edges thin lines, all on
// one canvas redrawn when the view or the nodes change. Tens of thousands of boxes draw in a few
// milliseconds where as many cards would take seconds to mount.
import { useLayoutEffect, useRef } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { NODE_HEIGHT, NODE_WIDTH } from './treeGeometry';
import type { Placed } from './treeLayout';
import { BoxPainter, EDGE_COLOUR, MATCH_COLOUR, prepareCanvas, SELECTED_COLOUR } from './treePaint';
import type { Size, Viewport } from './treeViewport';

interface Props {
  placed: readonly Placed[];
  nodes: readonly TreeNode[];
  viewport: Viewport;
  pane: Size;
  selectedId: string | null;
  matched: ReadonlySet<string>;
  isPruned: (node: TreeNode) => boolean;
}

export function TreeBoxes({ placed, nodes, viewport, pane, selectedId, matched, isPruned }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const context = canvas.current && prepareCanvas(canvas.current, pane.width, pane.height);
    if (!context) return;
    const { x: vx, y: vy, zoom } = viewport;
    const w = Math.max(1, NODE_WIDTH * zoom);
    const h = Math.max(1, NODE_HEIGHT * zoom);
    const half = (NODE_WIDTH * zoom) / 2;
    context.beginPath();
    for (const p of placed) {
      if (!p.parent) continue;
      context.moveTo(p.parent.x * zoom + vx + half, (p.parent.y + NODE_HEIGHT) * zoom + vy);
      context.lineTo(p.x * zoom + vx + half, p.y * zoom + vy);
    }
    context.strokeStyle = EDGE_COLOUR;
    context.lineWidth = 1;
    context.stroke();
    const boxes = new BoxPainter();
    const ringed: { x: number; y: number; colour: string }[] = [];
    for (const p of placed) {
      const node = nodes[p.index];
      if (!node) continue;
      const x = p.x * zoom + vx;
      const y = p.y * zoom + vy;
      boxes.add(node, isPruned(node), x, y);
      if (p.id === selectedId) ringed.push({ x, y, colour: SELECTED_COLOUR });
      else if (matched.has(p.id)) ringed.push({ x, y, colour: MATCH_COLOUR });
    }
    boxes.paint(context, w, h);
    // Rings last, over their neighbours, and never smaller than a few pixels.
    context.lineWidth = 2;
    for (const r of ringed) {
      context.strokeStyle = r.colour;
      context.strokeRect(r.x - 2, r.y - 2, Math.max(w, 4) + 4, Math.max(h, 4) + 4);
    }
  }, [placed, nodes, viewport, pane, selectedId, matched, isPruned]);
  return <canvas ref={canvas} className="beam-tree__boxes" style={{ width: pane.width, height: pane.height }} />;
}
