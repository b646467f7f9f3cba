// Finding nodes of the beam tree by id or by text: a node matches when its id, its prompt, the
// query it was tried on, its answer or its error contains what was typed (case and surrounding
// spaces ignored). Matches come in the layout's order (top-down, each level left to right), a node
// whose id is exactly what was typed first. Pure, with no imports: the unit tests load it.

export interface FindableNode {
  id: string;
  state: string;
  query: string;
  output?: string;
  error?: string;
}

/** `placeOf`: a node's place in the layout (its card's corner), null if it has none yet. */
export function findNodes(
  nodes: readonly FindableNode[],
  typed: string,
  placeOf: (id: string) => { x: number; y: number } | null,
): string[] {
  const needle = typed.trim().toLowerCase();
  if (needle === '') return [];
  const has = (text: string | undefined) => text?.toLowerCase().includes(needle) === true;
  const placed: { id: string; x: number; y: number }[] = [];
  const unplaced: string[] = [];
  for (const n of nodes) {
    if (!(has(n.id) || has(n.state) || has(n.query) || has(n.output) || has(n.error))) continue;
    const at = placeOf(n.id);
    if (at) placed.push({ id: n.id, ...at });
    else unplaced.push(n.id);
  }
  // Layout order; nodes not laid out yet go last, in the run's order.
  placed.sort((a, b) => a.y - b.y || a.x - b.x);
  const ordered = [...placed.map((p) => p.id), ...unplaced];
  const exact = ordered.findIndex((id) => id.toLowerCase() === needle);
  if (exact > 0) ordered.unshift(...ordered.splice(exact, 1));
  return ordered;
}
