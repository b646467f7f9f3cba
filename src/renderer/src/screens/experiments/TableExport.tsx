// Save as file / Copy for one of an experiment's tables, as CSV or Markdown: the same text the
// experiment folder's tables/ holds (shared/tableText.ts writes both).
import { useState } from 'react';
import type { ResultTableDto } from '../../../../shared/studioApi';
import { toCsv, toMarkdown } from '../../../../shared/tableText';
import { SaveCopy } from '../../components/SaveCopy';

const FORMATS = {
  csv: { label: 'CSV', suffix: 'csv', type: 'text/csv;charset=utf-8', write: toCsv },
  markdown: { label: 'Markdown', suffix: 'md', type: 'text/markdown;charset=utf-8', write: toMarkdown },
} as const;

export function TableExport({ table, experimentId }: { table: ResultTableDto; experimentId: string }) {
  const [format, setFormat] = useState<keyof typeof FORMATS>('csv');
  const chosen = FORMATS[format];
  return (
    <div className="row table-export" data-testid={`table-export-${table.name}`}>
      <select
        aria-label={`Format of the ${table.name} table`}
        value={format}
        onChange={(e) => setFormat(e.target.value as keyof typeof FORMATS)}
        data-testid="table-export-format"
      >
        {Object.entries(FORMATS).map(([value, { label }]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <SaveCopy
        text={() => chosen.write(table)}
        fileName={`${experimentId}-${table.name}.${chosen.suffix}`}
        type={chosen.type}
        what={`the ${table.name} table as ${chosen.label}`}
        testId="table-export"
      />
    </div>
  );
}
