// Finding nodes of the beam tree by id or by text: a node matches when its id, its prompt, the
// query it was tried on, its answer or its error contains what was typed (case and surrounding
// spaces ignored). Matches come in the layout's order, a node whose id is exactly what was typed
// first. Pure, with no imports: the unit tests load it.

export interface FindableNode {
  id: string;
  state: string;
  query: string;
  output?: string;
  error?: string;
}

export function findNodes(nodes: readonly FindableNode[], typed: string, order: readonly string[]): string[] {
  const needle = typed.trim().toLowerCase();
  if (needle === '') return [];
  const has = (text: string | undefined) => text?.toLowerCase().includes(needle) === true;
  const matched = new Set<string>();
  for (const n of nodes)
    if (has(n.id) || has(n.state) || has(n.query) || has(n.output) || has(n.error)) matched.add(n.id);
  // Layout order; nodes not laid out yet go last, in the run's order.
  const ordered = order.filter((id) => matched.has(id));
  const placed = new Set(ordered);
  for (const id of matched) if (!placed.has(id)) ordered.push(id);
  const exact = ordered.findIndex((id) => id.toLowerCase() === needle);
  if (exact > 0) ordered.unshift(...ordered.splice(exact, 1));
  return ordered;
}
