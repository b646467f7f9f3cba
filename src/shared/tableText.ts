// A table as text: Markdown (a heading line, then a pipe table) and CSV (RFC 4180: a field with a
// comma, a quote or a line break is quoted, its quotes doubled). One writer for the experiment
// folder's tables/ and the studio's Save as file / Copy, so the two never differ.

export interface TextTable {
  /** What the table is called in file names (unused in its text). */
  name?: string;
  title: string;
  header: string[];
  rows: string[][];
}

export function toMarkdown(table: TextTable): string {
  const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [
    `### ${table.title}`,
    '',
    line(table.header),
    line(table.header.map(() => '---')),
    ...table.rows.map(line),
    '',
  ].join('\n');
}

export function toCsv(table: TextTable): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return `${[table.header, ...table.rows].map((row) => row.map(quote).join(',')).join('\n')}\n`;
}
