// The beam tree's viewport: fitted on open and, while the run runs, following its newest level,
// until the user moves it (a pan or zoom by hand, the zoom and fit buttons, the minimap; then
// `follow()` takes it up again); `reveal()` brings one node into view for the search and the
// arrow keys, which stops following too: the viewport then serves what the user asked for.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { CARD } from './treeGeometry';
import type { Point, TreeLayout } from './treeLayout';
import { fitViewport, followViewport, revealViewport, type Size, type Viewport, zoomAbout } from './treeViewport';

/** The smallest zoom a fit may use: a tree wider than this shows as a band. */
const MIN_FIT = 1e-4;

export function useTreeViewport(layout: TreeLayout, version: number, running: boolean) {
  const container = useRef<HTMLDivElement>(null);
  const [pane, setPane] = useState<Size>({ width: 0, height: 0 });
  const [viewport, setViewport] = useState<Viewport>({ x: 0, y: 0, zoom: 1 });
  const [following, setFollowing] = useState(true);
  const latest = useRef({ pane, viewport, following, running });
  latest.current = { pane, viewport, following, running };

  // The level last framed: within a level, the view stays while its nodes arrive (moving it at each
  // new node would redraw the cards in view each time); it moves on when a deeper level appears.
  const framedLevel = useRef<number | null>(null);
  const place = useCallback(
    (force: boolean) => {
      const { pane, following, running } = latest.current;
      if (!following) return;
      const deepest = layout.deepest;
      if (!force && framedLevel.current !== null && framedLevel.current === deepest) return;
      const next = followViewport({
        whole: layout.bounds(),
        newest: running ? layout.rowBounds(deepest) : null,
        root: layout.rootId === null ? null : layout.positionOf(layout.rootId),
        pane,
        card: CARD,
        running,
      });
      framedLevel.current = next?.framing === 'level' ? deepest : null;
      if (next) setViewport({ x: next.x, y: next.y, zoom: next.zoom });
    },
    [layout],
  );

  // Before the frame is painted, so the cards never show at the old viewport.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new layout is what moves the view
  useLayoutEffect(() => place(false), [version, place]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a resized pane is fitted again
  useLayoutEffect(() => place(true), [pane, place]);

  // The pane's size, kept by a ResizeObserver (reading it after each layout would force a reflow);
  // a pane that grows or shrinks is fitted again while following.
  useLayoutEffect(() => {
    const box = container.current;
    if (!box) return;
    setPane({ width: box.clientWidth, height: box.clientHeight });
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setPane({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  /** A move of the user's: the view stops following. */
  const moveByHand = useCallback((to: (current: Viewport) => Viewport) => {
    latest.current.following = false;
    setFollowing(false);
    setViewport(to);
  }, []);

  const panBy = useCallback(
    (dx: number, dy: number) => moveByHand((v) => ({ ...v, x: v.x + dx, y: v.y + dy })),
    [moveByHand],
  );
  const zoomBy = useCallback(
    (factor: number, about?: Point) =>
      moveByHand((v) =>
        zoomAbout(v, factor, about ?? { x: latest.current.pane.width / 2, y: latest.current.pane.height / 2 }),
      ),
    [moveByHand],
  );
  /** The whole tree in view, however small it gets. */
  const fit = useCallback(() => {
    const whole = layout.bounds();
    if (whole) moveByHand(() => fitViewport(whole, latest.current.pane, MIN_FIT));
  }, [layout, moveByHand]);
  /** The tree's point `at` in the pane's centre. */
  const centreOn = useCallback(
    (at: Point) =>
      moveByHand((v) => ({
        ...v,
        x: latest.current.pane.width / 2 - at.x * v.zoom,
        y: latest.current.pane.height / 2 - at.y * v.zoom,
      })),
    [moveByHand],
  );

  const follow = useCallback(() => {
    latest.current.following = true;
    setFollowing(true);
    place(true);
  }, [place]);

  const reveal = useCallback(
    (id: string, centre: boolean) => {
      const at = layout.positionOf(id);
      if (!at) return;
      const next = revealViewport(at, latest.current.viewport, latest.current.pane, CARD, centre);
      latest.current.following = false;
      setFollowing(false);
      if (next) setViewport(next);
    },
    [layout],
  );

  return { container, pane, viewport, following, panBy, zoomBy, fit, centreOn, follow, reveal };
}
