// Reward by depth as numbers: the best and mean reward of each level's evaluated nodes, and the best path score.
import type { TreeNode } from '../../../../shared/studioApi';

export interface LevelPoint {
  level: number;
  best: number | null;
  mean: number | null;
  bestScore: number | null;
}

export function levelStats(nodes: readonly TreeNode[]): LevelPoint[] {
  const byLevel = new Map<number, { rewards: number[]; scores: number[] }>();
  for (const node of nodes) {
    const entry = byLevel.get(node.level) ?? { rewards: [], scores: [] };
    byLevel.set(node.level, entry);
    if (node.reward !== null) entry.rewards.push(node.reward);
    if (node.score !== null) entry.scores.push(node.score);
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  return [...byLevel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, { rewards, scores }]) => ({
      level,
      best: rewards.length ? round(Math.max(...rewards)) : null,
      mean: rewards.length ? round(rewards.reduce((s, r) => s + r, 0) / rewards.length) : null,
      bestScore: scores.length ? round(Math.max(...scores)) : null,
    }));
}
