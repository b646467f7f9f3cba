// Which of the selector's and judge's structured replies stayed unusable (after their repair
// re-ask), so a level can tell whether its roles' server follows the schema at all: most replies
// unusable is a server that ignores the schema, not a judgment (search/levelFailures.ts).
export interface RoleReplies {
  role: 'selector' | 'judge';
  /** Replies asked for the nodes (their judgments, or their queries' aspect selections). */
  asked: number;
  unusable: number;
  /** Cache keys of the unusable replies' calls: a resumed run asks them again instead of replaying them. */
  keys: string[];
}

export class ReplyRecord {
  /** Per query (selections) and per node id (judgments): the keys of an unusable reply, or null when it was usable. */
  readonly #selections = new Map<string, string[] | null>();
  readonly #judgments = new Map<string, string[] | null>();

  selection(query: string, unusableKeys: string[] | null): void {
    this.#selections.set(query, unusableKeys);
  }

  judgment(nodeId: string, unusableKeys: string[] | null): void {
    this.#judgments.set(nodeId, unusableKeys);
  }

  /** The replies asked for these nodes, per role (a role that asked none is left out). */
  forNodes(nodes: readonly { id: string; query: string }[]): RoleReplies[] {
    const tally = (role: RoleReplies['role'], entries: (string[] | null | undefined)[]): RoleReplies[] => {
      const asked = entries.filter((e) => e !== undefined);
      const unusable = asked.filter((e) => e !== null);
      return asked.length > 0 ? [{ role, asked: asked.length, unusable: unusable.length, keys: unusable.flat() }] : [];
    };
    const queries = [...new Set(nodes.map((n) => n.query))];
    return [
      ...tally(
        'selector',
        queries.map((q) => this.#selections.get(q)),
      ),
      ...tally(
        'judge',
        nodes.map((n) => this.#judgments.get(n.id)),
      ),
    ];
  }
}
