// Prints every benchmark's figures (bench/results/*.json) as one table and writes
// bench/results/summary.json. Exit status 1 when a target is missed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, 'results');
const results = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'summary.json')
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')))
  .filter((r) => Array.isArray(r.figures))
  .sort((a, b) => a.name.localeCompare(b.name));

const rows = results.flatMap((r) =>
  r.figures.map((f) => [r.title, f.measure, `${f.value} ${f.unit}`, f.target ? `${f.target} ${f.ok ? '✓' : '✗ MISSED'}` : '', f.note ?? '']),
);
const header = ['benchmark', 'measure', 'result', 'target', 'how'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
const machines = [...new Set(results.map((r) => `${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.platform}, Node ${r.machine.node}`))];
process.stdout.write(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n\nmachine: ${machines.join(' | ')}\n`);
const missed = results.flatMap((r) => r.figures.filter((f) => f.target && !f.ok).map((f) => `${r.title}: ${f.measure}`));
writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify({ writtenAt: new Date().toISOString(), results }, null, 2)}\n`);
if (missed.length > 0) {
  process.stdout.write(`targets missed: ${missed.join('; ')}\n`);
  process.exit(1);
}
