// One of the result's tables exactly as the CLI writes it (tables/*.md, *.csv): the per-aspect
// table in the paper's Table 1 layout, a category table, the cost table.
import type { ResultTableDto } from '../../../../shared/studioApi';

const NUMERIC = /^[-+–\d.,() ]+$/;

export function ResultTable({
  table,
  testId,
  caption = true,
}: {
  table: ResultTableDto;
  testId?: string;
  caption?: boolean;
}) {
  const numeric = table.header.map(
    (_, i) => table.rows.length > 0 && table.rows.every((row) => NUMERIC.test(row[i] ?? '')),
  );
  return (
    <div className="experiments-table-wrap">
      <table className="experiments-table" data-testid={testId}>
        {caption && <caption>{table.title}</caption>}
        <thead>
          <tr>
            {table.header.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a column of a computed table, in a fixed order
              <th key={i} scope="col" className={numeric[i] ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a row of a computed table, never reordered in place
            <tr key={r}>
              {row.map((value, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a column of a computed table, in a fixed order
                <td key={i} className={numeric[i] ? 'num' : undefined}>
                  {value}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
