// Pure helpers of the ICL workbench: an ICL run's examples, from its result once finished or from
// its tree (nodes grouped by their `e<index>:` id prefix) while it runs.
import type { IclResultExample, TreeNode } from '../../../../shared/studioApi';

export interface IclExampleView {
  index: number;
  query: string;
  kind?: string;
  before: string;
  /** The best answer so far (the final one once the run finished); null before any scored rewrite. */
  after: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  bestNodeId: string | null;
  /** The best reward at each level, level 0 (the original answer) first; null where none is scored. */
  trajectory: (number | null)[];
  nodeCount: number;
  pending: number;
  /** From the run's result (final), or rebuilt from its tree (live). */
  final: boolean;
}

const PREFIX = /^e(\d+):/;

export function exampleIndex(nodeId: string): number | null {
  const m = PREFIX.exec(nodeId);
  return m ? Number(m[1]) : null;
}

function isNumberOrNull(v: unknown): v is number | null {
  return v === null || typeof v === 'number';
}

/** The result's examples, when it has a well-formed list of them. */
export function resultExamples(result: unknown): IclResultExample[] | null {
  if (!result || typeof result !== 'object') return null;
  const list = (result as { examples?: unknown }).examples;
  if (!Array.isArray(list)) return null;
  const out: IclResultExample[] = [];
  for (const e of list) {
    if (!e || typeof e !== 'object') return null;
    const r = e as Record<string, unknown>;
    if (typeof r.query !== 'string' || typeof r.before !== 'string' || typeof r.after !== 'string') return null;
    out.push({
      query: r.query,
      kind: typeof r.kind === 'string' ? r.kind : undefined,
      before: r.before,
      after: r.after,
      scoreBefore: isNumberOrNull(r.scoreBefore) ? r.scoreBefore : null,
      scoreAfter: isNumberOrNull(r.scoreAfter) ? r.scoreAfter : null,
      bestNodeId: typeof r.bestNodeId === 'string' ? r.bestNodeId : '',
    });
  }
  return out;
}

export function groupByExample(tree: readonly TreeNode[]): Map<number, TreeNode[]> {
  const groups = new Map<number, TreeNode[]>();
  for (const node of tree) {
    const index = exampleIndex(node.id);
    if (index === null) continue;
    const group = groups.get(index);
    if (group) group.push(node);
    else groups.set(index, [node]);
  }
  return groups;
}

export function trajectoryOf(nodes: readonly TreeNode[]): (number | null)[] {
  const depth = nodes.reduce((d, n) => Math.max(d, n.level), -1);
  const best: (number | null)[] = Array.from({ length: depth + 1 }, () => null);
  for (const n of nodes) {
    if (n.reward === null) continue;
    const cur = best[n.level] ?? null;
    if (cur === null || n.reward > cur) best[n.level] = n.reward;
  }
  return best;
}

function rootOf(nodes: readonly TreeNode[]): TreeNode | undefined {
  return nodes.find((n) => n.parentId === null) ?? [...nodes].sort((a, b) => a.level - b.level)[0];
}

function bestOf(nodes: readonly TreeNode[]): TreeNode | undefined {
  let best: TreeNode | undefined;
  for (const n of nodes)
    if (n.reward !== null && (best === undefined || n.reward > (best.reward ?? -Infinity))) best = n;
  return best;
}

export function buildExamples(tree: readonly TreeNode[], result: unknown): IclExampleView[] {
  const groups = groupByExample(tree);
  const fromResult = resultExamples(result);
  if (fromResult) {
    return fromResult.map((e, index) => {
      const nodes = groups.get(index) ?? [];
      return {
        index,
        query: e.query,
        kind: e.kind,
        before: e.before,
        after: e.after,
        scoreBefore: e.scoreBefore,
        scoreAfter: e.scoreAfter,
        bestNodeId: e.bestNodeId || null,
        trajectory: trajectoryOf(nodes),
        nodeCount: nodes.length,
        pending: nodes.filter((n) => n.reward === null && n.error === undefined && n.output === undefined).length,
        final: true,
      };
    });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, nodes]) => {
      const root = rootOf(nodes);
      const best = bestOf(nodes);
      return {
        index,
        query: root?.query ?? '',
        before: root?.state ?? '',
        after: best && best.id !== root?.id ? best.state : null,
        scoreBefore: root?.reward ?? null,
        scoreAfter: best?.reward ?? null,
        bestNodeId: best?.id ?? null,
        trajectory: trajectoryOf(nodes),
        nodeCount: nodes.length,
        pending: nodes.filter((n) => n.reward === null && n.error === undefined && n.output === undefined).length,
        final: false,
      };
    });
}
