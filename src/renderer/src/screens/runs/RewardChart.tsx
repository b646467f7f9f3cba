// Reward by depth of the run on screen: the best and mean reward of each level's evaluated nodes,
// and the best path score, from the per-level points the stream keeps (runStreamState.ts).
//
// Plain SVG, not recharts (which the comparison of runs keeps, LevelChart.tsx): a live run changes
// this chart many times a second, and recharts re-derives the whole chart on each change (its
// selectors, scales, ticks, a getTotalLength per line); in the live benchmark that was 14–18 % of
// the main thread's busy time by itself and about 38 % with the React work and style/layout it
// brought (docs/perf/live-tree-profile.md). Here a new level is a point appended to three
// polylines and two dots; the rest of the drawing stays as it is.
import { memo, useEffect, useRef, useState } from 'react';
import type { LevelPoint } from './levelStats';

const HEIGHT = 220;
const PAD = { top: 8, right: 16, bottom: 24, left: 32 };
const SCALE = [1, 2, 3, 4, 5]; // the judge's scale

type Metric = 'best' | 'mean' | 'bestScore';
const LINES: readonly { key: Metric; name: string; color: string; dashed?: boolean }[] = [
  { key: 'best', name: 'best reward', color: '#2da44e' },
  { key: 'mean', name: 'mean reward', color: '#8250df' },
  { key: 'bestScore', name: 'best path score', color: '#bf8700', dashed: true },
];

/** The container's width, followed as it is resized. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(120, entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** About ten level labels whatever the depth: every 1, 2, 5, 10, 20, … levels. */
function levelStep(span: number): number {
  for (let step = 1; ; step *= 10) for (const m of [1, 2, 5]) if (span / (step * m) <= 10) return step * m;
}

const Dot = memo(function Dot({ x, y, color, label }: { x: number; y: number; color: string; label: string }) {
  return (
    <circle cx={x} cy={y} r={3} fill="var(--bg, #fff)" stroke={color} strokeWidth={1.5}>
      <title>{label}</title>
    </circle>
  );
});

function Plot({ points, width, summary }: { points: readonly LevelPoint[]; width: number; summary: string }) {
  const first = points[0]!.level;
  const last = points[points.length - 1]!.level;
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (level: number) =>
    PAD.left + (last === first ? plotWidth / 2 : ((level - first) / (last - first)) * plotWidth);
  const y = (value: number) => PAD.top + ((5 - value) / 4) * plotHeight;
  const step = levelStep(last - first);
  const ticks: number[] = [];
  for (let level = Math.ceil(first / step) * step; level <= last; level += step) ticks.push(level);
  const round = (n: number) => Math.round(n * 10) / 10;
  return (
    <svg width={width} height={HEIGHT} className="reward-chart__plot" role="img" aria-label={summary}>
      {SCALE.map((value) => (
        <g key={value}>
          <line x1={PAD.left} x2={width - PAD.right} y1={y(value)} y2={y(value)} className="reward-chart__grid" />
          <text x={PAD.left - 6} y={y(value)} dy="0.32em" textAnchor="end" className="reward-chart__tick">
            {value}
          </text>
        </g>
      ))}
      {ticks.map((level) => (
        <text key={level} x={x(level)} y={HEIGHT - 6} textAnchor="middle" className="reward-chart__tick">
          {level}
        </text>
      ))}
      {LINES.map((line) => (
        // connectNulls: a level without a figure (all its evaluations failed) is stepped over.
        <polyline
          key={line.key}
          fill="none"
          stroke={line.color}
          strokeWidth={line.dashed ? 1 : 2}
          strokeDasharray={line.dashed ? '4 3' : undefined}
          points={points
            .filter((p) => p[line.key] !== null)
            .map((p) => `${round(x(p.level))},${round(y(p[line.key]!))}`)
            .join(' ')}
        />
      ))}
      {LINES.filter((line) => !line.dashed).flatMap((line) =>
        points
          .filter((p) => p[line.key] !== null)
          .map((p) => (
            <Dot
              key={`${line.key}-${p.level}`}
              x={round(x(p.level))}
              y={round(y(p[line.key]!))}
              color={line.color}
              label={`level ${p.level}: ${line.name} ${p[line.key]}`}
            />
          )),
      )}
    </svg>
  );
}

/** Memoised: the run view renders on every published snapshot, the points change far less often. */
export const RewardChart = memo(function RewardChart({ points }: { points: readonly LevelPoint[] }) {
  const { ref, width } = useWidth(600);
  const hasData = points.some((p) => p.best !== null);
  const lastScored = [...points].reverse().find((p) => p.best !== null);
  return (
    <figure className="reward-chart" data-testid="reward-chart">
      <figcaption>Reward by depth</figcaption>
      <div ref={ref}>
        {hasData ? (
          <>
            <Plot
              points={points}
              width={width}
              summary={`${points.length} levels; at level ${lastScored!.level} the best reward is ${lastScored!.best} and the mean ${lastScored!.mean}`}
            />
            <ul className="reward-chart__legend">
              {LINES.map((line) => (
                <li key={line.key}>
                  <span
                    className="reward-chart__swatch"
                    style={{ borderColor: line.color, borderTopStyle: line.dashed ? 'dashed' : 'solid' }}
                  />
                  {line.name}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="runs-muted">No scored nodes yet.</p>
        )}
      </div>
    </figure>
  );
});
