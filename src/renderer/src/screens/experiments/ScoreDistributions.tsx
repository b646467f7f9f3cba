// How the judge's scores spread, per aspect: for each cell, how many answers got 1, 2, 3, 4, 5
// (stacked), and how many the judge called N/A (grey, never a score).
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExperimentResult } from '../../../../shared/experimentTypes';
import { aspectNames, distributionRows, scoreFill, TOOLTIP_STYLE } from './resultModel';

const SCORES = [1, 2, 3, 4, 5] as const;

export function ScoreDistributions({ result }: { result: ExperimentResult }) {
  const aspects = aspectNames(result);
  const height = 36 + result.cells.length * 26;
  return (
    <figure className="experiments-figure" data-testid="score-distributions">
      <figcaption>
        Score distributions per aspect <span className="muted small">(answers scored 1–5; N/A in grey)</span>
      </figcaption>
      <div className="experiments-legend" aria-hidden="true">
        {SCORES.map((s) => (
          <span key={s}>
            <i style={{ background: scoreFill(s, 0.85) }} />
            {s}
          </span>
        ))}
        <span>
          <i className="na" />
          N/A
        </span>
      </div>
      <div className="experiments-distributions">
        {aspects.map((aspect) => (
          <div key={aspect} className="experiments-distribution" data-testid={`distribution-${aspect}`}>
            <h5>{aspect}</h5>
            {result.cells.every((c) => c.aspects[aspect]?.n === 0 && c.aspects[aspect]?.na === 0) ? (
              <p className="muted small">
                No answer was judged on {aspect}
                {aspect === 'safety' ? ' (no safety item in the sample)' : ''}.
              </p>
            ) : (
              <ResponsiveContainer width="100%" height={height}>
                <BarChart
                  data={distributionRows(result, aspect)}
                  layout="vertical"
                  margin={{ top: 0, right: 8, bottom: 0, left: 0 }}
                >
                  <XAxis type="number" allowDecimals={false} stroke="var(--muted)" tick={{ fontSize: 11 }} />
                  <YAxis type="category" dataKey="cell" width={120} stroke="var(--muted)" tick={{ fontSize: 11 }} />
                  <Tooltip contentStyle={TOOLTIP_STYLE} />
                  {SCORES.map((s) => (
                    <Bar
                      key={s}
                      dataKey={`s${s}`}
                      name={`score ${s}`}
                      stackId="scores"
                      fill={scoreFill(s, 0.85)}
                      isAnimationActive={false}
                    />
                  ))}
                  <Bar dataKey="na" name="N/A" stackId="scores" fill="var(--muted)" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            )}
          </div>
        ))}
      </div>
    </figure>
  );
}
