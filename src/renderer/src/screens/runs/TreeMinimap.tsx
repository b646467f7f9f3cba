// The whole beam tree in a corner: every node a dot of its card's colour, the view a frame; a
// press or drag there moves the view. A beam tree is far wider than deep, so width and depth are
// scaled apart (the levels stay visible). Drawing it visits every node, so it is redrawn at most
// every REDRAW_MS while the tree streams, never per event.
import { type PointerEvent, useEffect, useRef, useState } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { NODE_HEIGHT, NODE_WIDTH } from './treeGeometry';
import type { Box, Point, TreeLayout } from './treeLayout';
import { BoxPainter, prepareCanvas } from './treePaint';
import { type Size, type Viewport, viewBox } from './treeViewport';

const WIDTH = 168;
const HEIGHT = 96;
const PAD = 4;
const REDRAW_MS = 250;
const EVERYWHERE: Box = {
  minX: Number.NEGATIVE_INFINITY,
  minY: Number.NEGATIVE_INFINITY,
  maxX: Number.POSITIVE_INFINITY,
  maxY: Number.POSITIVE_INFINITY,
};

/** The tree's box drawn into the minimap: tree point → minimap point and back. */
interface Scale {
  box: Box;
  sx: number;
  sy: number;
}

interface Props {
  layout: TreeLayout;
  version: number;
  nodes: readonly TreeNode[];
  viewport: Viewport;
  pane: Size;
  isPruned: (node: TreeNode) => boolean;
  onCentre: (at: Point) => void;
}

export function TreeMinimap({ layout, version, nodes, viewport, pane, isPruned, onCentre }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [scale, setScale] = useState<Scale | null>(null);
  const drawnAt = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new layout or new node states are what is redrawn
  useEffect(() => {
    const draw = () => {
      drawnAt.current = performance.now();
      const box = layout.bounds();
      const context = canvas.current && prepareCanvas(canvas.current, WIDTH, HEIGHT);
      if (!box || !context) return;
      const sx = (WIDTH - 2 * PAD) / Math.max(1, box.maxX - box.minX);
      const sy = (HEIGHT - 2 * PAD) / Math.max(1, box.maxY - box.minY);
      const w = Math.max(1, NODE_WIDTH * sx);
      const h = Math.max(1.5, NODE_HEIGHT * sy);
      const boxes = new BoxPainter();
      layout.visit(EVERYWHERE, (p) => {
        const node = nodes[p.index];
        if (node) boxes.add(node, isPruned(node), PAD + (p.x - box.minX) * sx, PAD + (p.y - box.minY) * sy);
      });
      boxes.paint(context, w, h);
      setScale({ box, sx, sy });
    };
    const wait = drawnAt.current + REDRAW_MS - performance.now();
    if (wait <= 0) {
      draw();
      return;
    }
    const timer = setTimeout(draw, wait);
    return () => clearTimeout(timer);
  }, [layout, version, nodes, isPruned]);

  const toTree = (event: PointerEvent<HTMLCanvasElement>): Point | null => {
    if (!scale) return null;
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: scale.box.minX + (event.clientX - rect.left - PAD) / scale.sx,
      y: scale.box.minY + (event.clientY - rect.top - PAD) / scale.sy,
    };
  };
  const centre = (event: PointerEvent<HTMLCanvasElement>) => {
    const at = toTree(event);
    if (at) onCentre(at);
  };

  const seen = scale && viewBox(viewport, pane);
  const frame = seen && {
    left: PAD + (seen.minX - scale.box.minX) * scale.sx,
    top: PAD + (seen.minY - scale.box.minY) * scale.sy,
    width: (seen.maxX - seen.minX) * scale.sx,
    height: (seen.maxY - seen.minY) * scale.sy,
  };
  return (
    <div className="tree-minimap" data-testid="tree-minimap">
      <canvas
        ref={canvas}
        style={{ width: WIDTH, height: HEIGHT }}
        role="img"
        aria-label="The whole tree; press or drag here to move the view"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          centre(event);
        }}
        onPointerMove={(event) => {
          if (event.currentTarget.hasPointerCapture(event.pointerId)) centre(event);
        }}
      />
      {frame && (
        <div
          className="tree-minimap__frame"
          style={{
            left: Math.max(0, frame.left),
            top: Math.max(0, frame.top),
            width: Math.max(2, Math.min(WIDTH, frame.left + frame.width) - Math.max(0, frame.left)),
            height: Math.max(2, Math.min(HEIGHT, frame.top + frame.height) - Math.max(0, frame.top)),
          }}
        />
      )}
    </div>
  );
}
