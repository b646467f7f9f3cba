// Where the beam tree's viewport goes (fit, follow, reveal, zoom about a point), and which part of
// the tree a viewport shows. A viewport maps the tree's pixels to the pane's: screen = tree × zoom +
// (x, y). Pure: the unit tests load it.
import type { Box, Placed, Point, TreeLayout } from './treeLayout.js';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}
export interface Size {
  width: number;
  height: number;
}

export const MAX_ZOOM = 1.25;
/** Zooming out by hand stops here; fitting a larger tree may go further (its shape and colours still show). */
export const MIN_ZOOM = 0.02;
/** Below this the cards are mere specks: the whole tree is followed only at this zoom or closer. */
const MIN_FIT_ZOOM = 0.2;
/** A card's reward can still be read. */
const READABLE_ZOOM = 0.6;
/** Room kept around a fitted box, in screen pixels. */
const PADDING = 24;

function fitZoom(box: Box, pane: Size): number {
  return Math.min(
    (pane.width - 2 * PADDING) / Math.max(1, box.maxX - box.minX),
    (pane.height - 2 * PADDING) / Math.max(1, box.maxY - box.minY),
  );
}

/** `box` centred in the pane, as large as fits between `minZoom` and MAX_ZOOM. */
export function fitViewport(box: Box, pane: Size, minZoom = 0): Viewport {
  const zoom = Math.max(minZoom, Math.min(MAX_ZOOM, fitZoom(box, pane)));
  return {
    zoom,
    x: pane.width / 2 - ((box.minX + box.maxX) / 2) * zoom,
    y: pane.height / 2 - ((box.minY + box.maxY) / 2) * zoom,
  };
}

/** What a followed viewport frames: the whole tree, the newest level, or the root's region. */
export type Framing = 'tree' | 'level' | 'root';

export interface FollowInput {
  /** The box around every card, and around the deepest level's. */
  whole: Box | null;
  newest: Box | null;
  /** The root card's corner. */
  root: Point | null;
  pane: Size;
  card: Size;
  running: boolean;
}

/**
 * The whole tree where it fits legibly; otherwise, while the run runs, its newest level at a
 * readable zoom; otherwise the root's region at that zoom. Null: nothing laid out, or no pane.
 */
export function followViewport({
  whole,
  newest,
  root,
  pane,
  card,
  running,
}: FollowInput): (Viewport & { framing: Framing }) | null {
  if (!whole || pane.width <= 0 || pane.height <= 0) return null;
  if (fitZoom(whole, pane) >= MIN_FIT_ZOOM) return { ...fitViewport(whole, pane, MIN_FIT_ZOOM), framing: 'tree' };
  if (running && newest) return { ...fitViewport(newest, pane, READABLE_ZOOM), framing: 'level' };
  const at = root ?? { x: whole.minX, y: whole.minY };
  return {
    zoom: READABLE_ZOOM,
    x: pane.width / 2 - (at.x + card.width / 2) * READABLE_ZOOM,
    y: 16 - at.y * READABLE_ZOOM,
    framing: 'root',
  };
}

/**
 * The viewport that shows the card at `at`: centred on it when `centre`, else only if it is not
 * wholly in view already (null: leave the viewport be). From a zoom too far out to read the card,
 * a readable one.
 */
export function revealViewport(at: Point, current: Viewport, pane: Size, card: Size, centre: boolean): Viewport | null {
  const left = at.x * current.zoom + current.x;
  const top = at.y * current.zoom + current.y;
  const inView =
    left >= 0 &&
    top >= 0 &&
    left + card.width * current.zoom <= pane.width &&
    top + card.height * current.zoom <= pane.height;
  if (inView && !centre) return null;
  const zoom = current.zoom < MIN_FIT_ZOOM ? READABLE_ZOOM : current.zoom;
  return {
    zoom,
    x: pane.width / 2 - (at.x + card.width / 2) * zoom,
    y: pane.height / 2 - (at.y + card.height / 2) * zoom,
  };
}

/** `current` zoomed by `factor` (within MIN_ZOOM…MAX_ZOOM) about the pane's point `about`, which stays put. */
export function zoomAbout(current: Viewport, factor: number, about: Point): Viewport {
  const zoom = Math.max(Math.min(MIN_ZOOM, current.zoom), Math.min(MAX_ZOOM, current.zoom * factor));
  const k = zoom / current.zoom;
  return { zoom, x: about.x - (about.x - current.x) * k, y: about.y - (about.y - current.y) * k };
}

/** The part of the tree the pane shows, widened by `margin` screen pixels on every side. */
export function viewBox(viewport: Viewport, pane: Size, margin = 0): Box {
  return {
    minX: (0 - margin - viewport.x) / viewport.zoom,
    minY: (0 - margin - viewport.y) / viewport.zoom,
    maxX: (pane.width + margin - viewport.x) / viewport.zoom,
    maxY: (pane.height + margin - viewport.y) / viewport.zoom,
  };
}

/** The nodes whose cards the pane shows (or come within `margin` screen pixels of it), in `visit`'s order. */
export function nodesInView(layout: TreeLayout, viewport: Viewport, pane: Size, margin = 0): Placed[] {
  const found: Placed[] = [];
  layout.visit(viewBox(viewport, pane, margin), (node) => {
    found.push(node);
  });
  return found;
}
