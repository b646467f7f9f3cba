// Reward by depth: the best and mean reward of each level's evaluated nodes, and the best path score.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TreeNode } from '../../../../shared/studioApi';

interface Point {
  level: number;
  best: number | null;
  mean: number | null;
  bestScore: number | null;
}

export function levelStats(nodes: readonly TreeNode[]): Point[] {
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

export function RewardChart({ nodes }: { nodes: readonly TreeNode[] }) {
  // The stream hands over a new node array on every update; redraw only when a level's figures change.
  const stats = levelStats(nodes);
  const key = JSON.stringify(stats);
  const data = useMemo(() => JSON.parse(key) as Point[], [key]);
  const hasData = data.some((p) => p.best !== null);
  return (
    <figure className="reward-chart" data-testid="reward-chart">
      <figcaption>Reward by depth</figcaption>
      {hasData ? (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border, #d0d7de)" />
            <XAxis
              dataKey="level"
              stroke="var(--muted, #6e7781)"
              label={{ value: 'level', position: 'insideBottomRight', offset: -2 }}
            />
            <YAxis domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} stroke="var(--muted, #6e7781)" width={28} />
            <Tooltip
              contentStyle={{
                background: 'var(--bg, #fff)',
                borderColor: 'var(--border, #d0d7de)',
                color: 'var(--fg, #1f2328)',
              }}
            />
            <Legend />
            <Line
              type="monotone"
              dataKey="best"
              name="best reward"
              stroke="#2da44e"
              strokeWidth={2}
              dot={{ r: 3 }}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="mean"
              name="mean reward"
              stroke="#8250df"
              strokeWidth={2}
              dot={{ r: 3 }}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="bestScore"
              name="best path score"
              stroke="#bf8700"
              strokeDasharray="4 3"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      ) : (
        <p className="runs-muted">No scored nodes yet.</p>
      )}
    </figure>
  );
}
