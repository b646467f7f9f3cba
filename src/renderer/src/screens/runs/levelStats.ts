// Reward by depth as numbers: the best and mean reward of each level's evaluated nodes, and the
// best path score. One level at a time (levelPoint), so a live run recomputes only the levels
// whose nodes changed; levelStats does a whole finished tree at once.
import type { TreeNode } from '../../../../shared/studioApi';

export interface LevelPoint {
  level: number;
  best: number | null;
  mean: number | null;
  bestScore: number | null;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The figures of one level from its nodes. */
export function levelPoint(level: number, nodes: Iterable<TreeNode>): LevelPoint {
  let count = 0;
  let sum = 0;
  let best: number | null = null;
  let bestScore: number | null = null;
  for (const node of nodes) {
    if (node.reward !== null) {
      count++;
      sum += node.reward;
      if (best === null || node.reward > best) best = node.reward;
    }
    if (node.score !== null && (bestScore === null || node.score > bestScore)) bestScore = node.score;
  }
  return {
    level,
    best: best === null ? null : round(best),
    mean: count > 0 ? round(sum / count) : null,
    bestScore: bestScore === null ? null : round(bestScore),
  };
}

export function levelStats(nodes: readonly TreeNode[]): LevelPoint[] {
  const byLevel = new Map<number, TreeNode[]>();
  for (const node of nodes) {
    const level = byLevel.get(node.level);
    if (level) level.push(node);
    else byLevel.set(node.level, [node]);
  }
  return [...byLevel.entries()].sort(([a], [b]) => a - b).map(([level, members]) => levelPoint(level, members));
}
