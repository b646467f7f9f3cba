// The beam tree's pane: what the viewport shows of the tree, panned by dragging and zoomed by the
// wheel. Only the nodes in view (and a row around it) are drawn: as cards, with their edges as
// one SVG path per kind, inside a layer moved by a CSS transform; zoomed out so far that cards
// would be specks, or with too many in view, as coloured boxes on a canvas (TreeBoxes).
//
// Why not React Flow (which drew the tree before): its store keeps an internal node for every
// node and edge and rebuilds them on every change of the node list; onlyRenderVisibleElements
// still filters every node at every pan frame, and mounts a card for every node in view however
// small (its fit view mounted all 1,000 cards of a 1,000-node run: 1.1 s, one long task), each
// hidden until measured. Measured with bench/uiTree.bench.ts on 2 cores: 2.7 s to open 1,000
// nodes, live updates with long tasks of up to 480 ms; with this renderer 0.86 s and no long task
// of the tree's own. A beam tree's layout already says where every card is and which are in view
// (treeLayout.ts's `visit`), so nothing needs measuring and the work follows the view.
import { type MouseEvent, type PointerEvent, useEffect, useRef } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { TreeBoxes } from './TreeBoxes';
import { TreeNodeCard } from './TreeNodeCard';
import { NODE_HEIGHT, NODE_WIDTH, RANK_GAP, ROW } from './treeGeometry';
import type { Placed, Point, TreeLayout } from './treeLayout';
import { nodesInView, type Size, type Viewport } from './treeViewport';

/** Closer than this, cards; further out, boxes. */
const CARD_ZOOM = 0.15;
/** More cards in view than this would be slow to mount: boxes instead. */
const MAX_CARDS = 600;
/** Edge labels ("rewrite", "carry-over") from this zoom on. */
const LABEL_ZOOM = 0.5;
/** A press that moves less than this (screen pixels) is a click, not a pan. */
const DRAG_SLOP = 3;

interface Props {
  layout: TreeLayout;
  /** The layout's version: what is in view changes with it. */
  version: number;
  nodes: readonly TreeNode[];
  viewport: Viewport;
  pane: Size;
  selectedId: string | null;
  matched: ReadonlySet<string>;
  isPruned: (node: TreeNode) => boolean;
  onSelect: (id: string) => void;
  panBy: (dx: number, dy: number) => void;
  zoomBy: (factor: number, about: Point) => void;
}

function edgePaths(placed: readonly Placed[], nodes: readonly TreeNode[]) {
  let rewrite = '';
  let carry = '';
  for (const p of placed) {
    if (!p.parent) continue;
    const x1 = p.parent.x + NODE_WIDTH / 2;
    const y1 = p.parent.y + NODE_HEIGHT;
    const x2 = p.x + NODE_WIDTH / 2;
    const mid = (y1 + p.y) / 2;
    const d = `M${x1} ${y1}C${x1} ${mid} ${x2} ${mid} ${x2} ${p.y}`;
    if (nodes[p.index]?.action === 'carry-over') carry += d;
    else rewrite += d;
  }
  return { rewrite, carry };
}

export function TreeStage(props: Props) {
  const { layout, nodes, viewport, pane, selectedId, matched, isPruned, onSelect, panBy, zoomBy } = props;
  const stage = useRef<HTMLDivElement>(null);
  // One row beyond the pane on every side, so edges into the pane are drawn.
  const placed = nodesInView(layout, viewport, pane, Math.max(48, ROW * viewport.zoom));
  const cards = viewport.zoom >= CARD_ZOOM && placed.length <= MAX_CARDS;

  // The wheel zooms about the pointer; a listener of its own, since React's wheel listener is passive.
  const zoom = useRef(zoomBy);
  zoom.current = zoomBy;
  useEffect(() => {
    const element = stage.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      const step = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      zoom.current(Math.exp(-step * (event.ctrlKey ? 0.01 : 0.002)), {
        x: event.clientX - box.left,
        y: event.clientY - box.top,
      });
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const drag = useRef<{ pointer: number; x: number; y: number; moved: boolean } | null>(null);
  const dragged = useRef(false);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    drag.current = { pointer: event.pointerId, x: event.clientX, y: event.clientY, moved: false };
    dragged.current = false;
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== event.pointerId) return;
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    if (!d.moved) {
      if (Math.hypot(dx, dy) < DRAG_SLOP) return;
      d.moved = true;
      dragged.current = true;
      event.currentTarget.setPointerCapture(event.pointerId);
    }
    d.x = event.clientX;
    d.y = event.clientY;
    panBy(dx, dy);
  };
  const onPointerEnd = () => {
    drag.current = null;
  };
  // The click that ends a pan selects nothing.
  const onClickCapture = (event: MouseEvent) => {
    if (!dragged.current) return;
    dragged.current = false;
    event.stopPropagation();
  };

  const dots = 24 * viewport.zoom;
  const edges = cards ? edgePaths(placed, nodes) : null;
  return (
    <div
      ref={stage}
      className="beam-tree__stage"
      style={
        dots >= 6
          ? { backgroundSize: `${dots}px ${dots}px`, backgroundPosition: `${viewport.x}px ${viewport.y}px` }
          : { backgroundImage: 'none' }
      }
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onClickCapture={onClickCapture}
    >
      <div
        className="beam-tree__viewport"
        data-testid="tree-viewport"
        style={{ transform: `translate(${viewport.x}px, ${viewport.y}px) scale(${viewport.zoom})` }}
      >
        {edges && (
          <svg className="beam-tree__edges" aria-hidden="true">
            <path className="tree-edge tree-edge--rewrite" d={edges.rewrite} />
            <path className="tree-edge tree-edge--carry-over" d={edges.carry} />
            {viewport.zoom >= LABEL_ZOOM &&
              placed.map((p) =>
                p.parent ? (
                  <text key={p.id} className="tree-edge__label" x={p.x + NODE_WIDTH / 2} y={p.y - RANK_GAP / 2 + 3}>
                    {nodes[p.index]?.action === 'carry-over' ? 'carry-over' : 'rewrite'}
                  </text>
                ) : null,
              )}
          </svg>
        )}
        {cards &&
          placed.map((p) => {
            const node = nodes[p.index];
            return node ? (
              <TreeNodeCard
                key={p.id}
                node={node}
                x={p.x}
                y={p.y}
                pruned={isPruned(node)}
                selected={p.id === selectedId}
                matched={matched.has(p.id)}
                onSelect={onSelect}
              />
            ) : null;
          })}
      </div>
      {!cards && (
        <TreeBoxes
          placed={placed}
          nodes={nodes}
          viewport={viewport}
          pane={pane}
          selectedId={selectedId}
          matched={matched}
          isPruned={isPruned}
        />
      )}
    </div>
  );
}
