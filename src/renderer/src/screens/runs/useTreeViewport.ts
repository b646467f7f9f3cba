// The beam tree's viewport: fitted on open and, while the run runs, following its newest level,
// until the user moves it (a pan or zoom by hand, or the tree's own zoom and fit buttons; then
// `follow()` takes it up again); `reveal()` brings one node into view for the search and the
// arrow keys, which stops following too: the viewport then serves what the user asked for.
import type { Edge, ReactFlowInstance } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TreeFlowNode } from './TreeNodeCard';
import { NODE_HEIGHT, NODE_WIDTH, type Positions } from './treeGeometry';
import type { TreeIndex } from './treeNavigation';
import { followViewport, revealViewport, type Viewport } from './treeViewport';

const CARD = { width: NODE_WIDTH, height: NODE_HEIGHT };

export function useTreeViewport(positions: Positions, index: TreeIndex, running: boolean) {
  const flow = useRef<ReactFlowInstance<TreeFlowNode, Edge> | null>(null);
  const container = useRef<HTMLDivElement>(null);
  // The pane's size, kept by a ResizeObserver: reading clientWidth after each layout would force a reflow.
  const pane = useRef({ width: 0, height: 0 });
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const latest = useRef({ positions, index, running });
  latest.current = { positions, index, running };
  // Set while this hook moves the viewport: React Flow reports every move, its own and ours alike.
  const placing = useRef(false);
  const moveTo = useCallback((viewport: Viewport | null) => {
    if (!viewport || !flow.current) return;
    placing.current = true;
    try {
      // Without a duration the move is synchronous, its move-start included.
      void flow.current.setViewport(viewport);
    } finally {
      placing.current = false;
    }
  }, []);

  // The level last framed: within a level, the view stays while its nodes arrive (moving it at each
  // new node would redraw the cards in view each time); it moves on when a deeper level appears.
  const framedLevel = useRef<number | null>(null);
  const place = useCallback(
    (force = false) => {
      if (!followingRef.current) return;
      const { positions, index, running } = latest.current;
      const deepest = index.order.at(-1);
      const newest = deepest === undefined ? [] : index.row.get(deepest)!.ids;
      const viewport = followViewport({
        positions,
        newest,
        rootId: index.order[0] ?? null,
        pane: pane.current,
        card: CARD,
        running,
      });
      const level = viewport?.framing === 'level' ? index.deepest : null;
      if (level !== null && level === framedLevel.current && !force) return;
      framedLevel.current = level;
      moveTo(viewport);
    },
    [moveTo],
  );

  const setFollow = useCallback((on: boolean) => {
    followingRef.current = on;
    setFollowing(on);
  }, []);

  // A pane that grows (a side panel collapsed) or shrinks is fitted again while following.
  useEffect(() => {
    const box = container.current;
    if (!box) return;
    pane.current = { width: box.clientWidth, height: box.clientHeight };
    let frame = 0;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      pane.current = { width: entry.contentRect.width, height: entry.contentRect.height };
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => place(true));
    });
    observer.observe(box);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [place]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: each new layout is what moves the view (place reads it from latest)
  useEffect(() => {
    // After React Flow has the new nodes.
    const frame = requestAnimationFrame(() => place());
    return () => cancelAnimationFrame(frame);
  }, [positions, place]);

  const onInit = useCallback(
    (instance: ReactFlowInstance<TreeFlowNode, Edge>) => {
      flow.current = instance;
      setFollow(true);
      place(true);
    },
    [place, setFollow],
  );

  /** React Flow's move start: any move but this hook's own is the user's. */
  const onMoveStart = useCallback(() => {
    if (!placing.current) setFollow(false);
  }, [setFollow]);

  const follow = useCallback(() => {
    setFollow(true);
    place(true);
  }, [place, setFollow]);

  const reveal = useCallback(
    (id: string, centre: boolean) => {
      const instance = flow.current;
      const at = latest.current.positions.get(id);
      if (!instance || !at) return;
      setFollow(false);
      moveTo(revealViewport(at, instance.getViewport(), pane.current, CARD, centre));
    },
    [setFollow, moveTo],
  );

  return { container, following, onInit, onMoveStart, follow, reveal };
}
