// The best reward of each level of an ICL example's search, as a small sparkline.
import { formatScore } from '../../shell/format';

/** The best reward per level as a small sparkline (judge scale 1–5) with the values listed. */
export function Trajectory({ values }: { values: (number | null)[] }) {
  if (values.length === 0) return null;
  const width = 96;
  const height = 24;
  const pad = 3;
  const x = (i: number) => (values.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (values.length - 1));
  const y = (v: number) => height - pad - ((Math.min(5, Math.max(1, v)) - 1) / 4) * (height - 2 * pad);
  const points = values.flatMap((v, i) => (v === null ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`]));
  const text = values.map((v, i) => `L${i} ${formatScore(v)}`).join(' · ');
  return (
    <span className="icl-trajectory" data-testid="icl-trajectory" title={`Best reward by level: ${text}`}>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Best reward by level: ${text}`}
      >
        <line x1={0} x2={width} y1={y(3)} y2={y(3)} className="icl-spark-mid" />
        {points.length > 1 && <polyline points={points.join(' ')} className="icl-spark-line" />}
        {values.map((v, i) =>
          // biome-ignore lint/suspicious/noArrayIndexKey: one dot per level, the level being the index; the list only grows
          v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={2.2} className="icl-spark-dot" />,
        )}
      </svg>
      <span className="small muted icl-trajectory-values">{values.map((v) => formatScore(v, 1)).join(' → ')}</span>
    </span>
  );
}
