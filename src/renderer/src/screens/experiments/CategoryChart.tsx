// Scores per category (the paper's Figures 5–7): for one grouping dimension (source, split, task…),
// each cell's mean score on each category's items, as grouped bars; the numbers below it.
import { useId, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExperimentResult } from '../../../../shared/experimentTypes';
import type { ResultTableDto } from '../../../../shared/studioApi';
import { ResultTable } from './ResultTable';
import { categoryDimensions, categoryRows, cellLabel, SERIES_COLORS, TOOLTIP_STYLE } from './resultModel';

export function CategoryChart({ result, tables }: { result: ExperimentResult; tables: readonly ResultTableDto[] }) {
  const dimensions = categoryDimensions(result);
  const [chosen, setChosen] = useState(dimensions[0] ?? '');
  const dimension = dimensions.includes(chosen) ? chosen : (dimensions[0] ?? '');
  const rows = useMemo(() => categoryRows(result, dimension), [result, dimension]);
  const table = tables.find((t) => t.name === `categories-${dimension}`);
  const selectId = useId();
  const height = 60 + rows.length * (result.cells.length * 12 + 16);

  return (
    <figure className="experiments-figure" data-testid="category-chart">
      <figcaption className="experiments-figure-head">
        <span>Mean score per category</span>
        {dimensions.length > 0 && (
          <span className="experiments-inline-field">
            <label htmlFor={selectId}>Group by</label>
            <select
              id={selectId}
              value={dimension}
              onChange={(e) => setChosen(e.target.value)}
              data-testid="category-dimension"
            >
              {dimensions.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </span>
        )}
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted">No scored item to group: every answer was unjudged or N/A.</p>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={height}>
            <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
              <XAxis type="number" domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} stroke="var(--muted)" allowDataOverflow />
              <YAxis type="category" dataKey="category" width={150} stroke="var(--muted)" tick={{ fontSize: 12 }} />
              <Tooltip contentStyle={TOOLTIP_STYLE} />
              <Legend itemSorter={null} />
              {result.cells.map((cell, i) => (
                <Bar
                  key={cellLabel(cell)}
                  dataKey={cellLabel(cell)}
                  fill={SERIES_COLORS[i % SERIES_COLORS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
          {table && (
            <details className="experiments-numbers">
              <summary>The numbers</summary>
              <ResultTable table={table} testId="category-table" />
            </details>
          )}
        </>
      )}
    </figure>
  );
}
