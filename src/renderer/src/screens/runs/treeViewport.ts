// Where the beam tree's viewport goes, computed from the layout's positions (React Flow measures
// only the cards it renders, and renders only those in view). Pure, with no imports: the unit
// tests load it. The card size is treeGeometry's, passed in.

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}
export interface Size {
  width: number;
  height: number;
}
type Point = { x: number; y: number };
interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const MAX_ZOOM = 1.25;
/** Below this the cards are mere specks: the whole tree is fitted only at this zoom or closer (its shape and colours still show). */
const MIN_FIT_ZOOM = 0.2;
/** A card's reward can still be read. */
const READABLE_ZOOM = 0.6;
/** Room kept around a fitted box, in screen pixels. */
const PADDING = 24;

function boundsOf(points: Iterable<Point>, card: Size): Box | null {
  let box: Box | null = null;
  for (const p of points) {
    box = box ?? { minX: p.x, minY: p.y, maxX: p.x, maxY: p.y };
    box.minX = Math.min(box.minX, p.x);
    box.minY = Math.min(box.minY, p.y);
    box.maxX = Math.max(box.maxX, p.x + card.width);
    box.maxY = Math.max(box.maxY, p.y + card.height);
  }
  return box;
}

function fitZoom(box: Box, pane: Size): number {
  return Math.min(
    (pane.width - 2 * PADDING) / (box.maxX - box.minX),
    (pane.height - 2 * PADDING) / (box.maxY - box.minY),
  );
}

/** `box` centred in the pane, as large as fits between `minZoom` and MAX_ZOOM. */
function centred(box: Box, pane: Size, minZoom: number): Viewport {
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
  positions: ReadonlyMap<string, Point>;
  /** The ids of the deepest level laid out, and of the root. */
  newest: readonly string[];
  rootId: string | null;
  pane: Size;
  card: Size;
  running: boolean;
}

/**
 * The whole tree where it fits legibly; otherwise, while the run runs, its newest level at a
 * readable zoom; otherwise the root's region at that zoom. Null: nothing laid out, or no pane.
 */
export function followViewport({
  positions,
  newest,
  rootId,
  pane,
  card,
  running,
}: FollowInput): (Viewport & { framing: Framing }) | null {
  const whole = boundsOf(positions.values(), card);
  if (!whole || pane.width <= 0 || pane.height <= 0) return null;
  if (fitZoom(whole, pane) >= MIN_FIT_ZOOM) return { ...centred(whole, pane, MIN_FIT_ZOOM), framing: 'tree' };
  const level = running
    ? boundsOf(
        newest.flatMap((id) => positions.get(id) ?? []),
        card,
      )
    : null;
  if (level) return { ...centred(level, pane, READABLE_ZOOM), framing: 'level' };
  const root = (rootId !== null && positions.get(rootId)) || { x: whole.minX, y: whole.minY };
  return {
    zoom: READABLE_ZOOM,
    x: pane.width / 2 - (root.x + card.width / 2) * READABLE_ZOOM,
    y: 16 - root.y * READABLE_ZOOM,
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
