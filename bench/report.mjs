// Prints every benchmark's figures (bench/results/*.json, as bench/support/benchResults.ts writes
// them) as one table, then when and on which machine each benchmark was measured, and writes
// bench/results/summary.json. Exit status 1 when a target is missed.
//
//   node bench/report.mjs [--since ISO-TIME]   # --since: mark results older than that as from an earlier run
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, 'results');
const sinceAt = process.argv.indexOf('--since');
const since = sinceAt >= 0 ? Date.parse(process.argv[sinceAt + 1] ?? '') : NaN;

const results = (existsSync(dir) ? readdirSync(dir) : [])
  .filter((f) => f.endsWith('.json') && f !== 'summary.json')
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')))
  .filter((r) => Array.isArray(r.figures))
  .sort((a, b) => a.name.localeCompare(b.name));
if (results.length === 0) {
  process.stdout.write(`\nno benchmark results in ${path.relative(process.cwd(), dir) || dir}\n`);
  process.exit(0);
}

const rows = results.flatMap((r) =>
  r.figures.map((f) => [
    r.name,
    f.measure,
    `${f.value} ${f.unit}`,
    f.target ? `${f.target} ${f.ok ? '✓' : '✗ MISSED'}` : '',
    f.note ?? '',
  ]),
);
const header = ['benchmark', 'measure', 'result', 'target', 'how'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) =>
  cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
const machine = (m) => `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}`;
// Results written before the load average was kept have none.
const load = (r) => (r.load ? `, load average ${r.load.join(' / ')}` : '');
const provenance = results.map((r) => {
  const earlier = Number.isFinite(since) && Date.parse(r.measuredAt) < since ? ' (an earlier run)' : '';
  return `  ${r.name.padEnd(Math.max(...results.map((x) => x.name.length)))}  ${r.title}: ${r.measuredAt}${earlier} on ${machine(r.machine)}${load(r)}`;
});
process.stdout.write(
  `\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n\nmeasured:\n${provenance.join('\n')}\n`,
);

const missed = results.flatMap((r) =>
  r.figures.filter((f) => f.target && !f.ok).map((f) => `${r.title}: ${f.measure}`),
);
writeFileSync(
  path.join(dir, 'summary.json'),
  `${JSON.stringify({ writtenAt: new Date().toISOString(), results }, null, 2)}\n`,
);
if (missed.length > 0) {
  process.stdout.write(`targets missed: ${missed.join('; ')}\n`);
  process.exit(1);
}
