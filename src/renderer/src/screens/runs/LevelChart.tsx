// Lines by level on the judge's 1–5 scale, with recharts: the comparison of runs overlays one per
// run. (The run view's own chart, redrawn live, is plain SVG: RewardChart.tsx.)
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface LevelLine {
  dataKey: string;
  name: string;
  color: string;
  dashed?: boolean;
  dots?: boolean;
}

type LevelRow = { level: number } & Record<string, number | null>;

/** Lines on the judge's 1–5 scale by level. */
export function LevelChart({ data, lines }: { data: readonly LevelRow[]; lines: readonly LevelLine[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data as LevelRow[]} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
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
        {lines.map((line) => (
          <Line
            key={line.dataKey}
            type="monotone"
            dataKey={line.dataKey}
            name={line.name}
            stroke={line.color}
            strokeWidth={line.dashed ? 1 : 2}
            strokeDasharray={line.dashed ? '4 3' : undefined}
            dot={line.dots === false ? false : { r: 3 }}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
