// Rebuilds a run's search tree from its event log, one event at a time: the studio applies live
// events as they stream in, and a reopened run replays its log. Pure: no Node, no DOM.
import type { RunEventMessage, TreeNode } from './studioApi.js';

interface EvaluationLike {
  ok: boolean;
  error?: string;
  scores?: { aspect: string; score: number | null; rationale: string }[];
}

export class RunTree {
  readonly nodes = new Map<string, TreeNode>();
  /** Nodes by level, so a level's beam touches that level only (a live tree has thousands). */
  private readonly levels = new Map<number, TreeNode[]>();

  apply(event: RunEventMessage): void {
    switch (event.type) {
      case 'node': {
        const e = event as unknown as Omit<TreeNode, 'reward' | 'score' | 'inBeam'>;
        const existing = this.nodes.get(e.id);
        // A resumed run re-announces nodes it already had; keep what was learned about them.
        if (!existing) {
          const node: TreeNode = {
            id: e.id,
            parentId: e.parentId,
            level: e.level,
            state: e.state,
            action: e.action,
            query: e.query,
            ...(typeof e.analysis === 'string' ? { analysis: e.analysis } : {}),
            ...(typeof e.thought === 'string' ? { thought: e.thought } : {}),
            reward: null,
            score: null,
            inBeam: false,
          };
          this.nodes.set(e.id, node);
          const level = this.levels.get(node.level);
          if (level) level.push(node);
          else this.levels.set(node.level, [node]);
        }
        break;
      }
      case 'node-evaluated': {
        const node = this.nodes.get(event.id as string);
        if (!node) break;
        const evaluation = event.evaluation as EvaluationLike;
        node.output = event.output as string;
        node.reward = (event.reward as number | null) ?? null;
        node.score = (event.score as number | null) ?? null;
        node.aspects = evaluation.ok ? evaluation.scores : undefined;
        node.error = evaluation.ok ? undefined : evaluation.error;
        break;
      }
      case 'node-failed': {
        const node = this.nodes.get(event.id as string);
        if (node) node.error = event.error as string;
        break;
      }
      case 'beam': {
        const ids = new Set(event.ids as string[]);
        for (const node of this.level(event.level as number)) node.inBeam = ids.has(node.id);
        break;
      }
    }
  }

  /** The nodes of one level, in the order they arrived. */
  level(level: number): readonly TreeNode[] {
    return this.levels.get(level) ?? [];
  }

  list(): TreeNode[] {
    return [...this.nodes.values()];
  }

  bestScore(): number | null {
    let best: number | null = null;
    for (const node of this.nodes.values())
      if (node.score !== null && (best === null || node.score > best)) best = node.score;
    return best;
  }
}
