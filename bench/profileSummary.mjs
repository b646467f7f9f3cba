// Where the page's main thread spent its time in a CPU profile the UI benchmark wrote
// (BENCH_PROFILE=1 npm run bench:ui → bench/results/ui-tree-*.cpuprofile): self time summed by
// part of the studio (React, React Flow, the chart, the stream's event handling, the tree's own
// code, …), each sample placed through the built renderer's source maps. Build with them first:
//
//   npx electron-vite build --sourcemap && BENCH_PROFILE=1 npm run bench:ui
//   node bench/profileSummary.mjs bench/results/ui-tree-live-burst.cpuprofile [--top 15]
//
// Functions without a script of their own (JSON.parse, DOM calls) count for their caller's part.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';

const rendererDir = path.join(import.meta.dirname, '../out/renderer');
/** First match wins: a part of the studio by the original source path. */
const PARTS = [
  ['React (reconciliation, commit)', /node_modules\/(react-dom|react|scheduler)\//],
  ['React Flow', /node_modules\/(@xyflow|d3-zoom|d3-drag|d3-selection|d3-transition|zustand|classcat)/],
  [
    'chart (recharts)',
    /node_modules\/(recharts|d3-|victory-vendor|es-toolkit|@reduxjs|redux|immer|reselect|decimal\.js|eventemitter3)/,
  ],
  ['stream: events applied', /(useRunStream|runStreamState|shared\/runTree|levelStats)\.ts/],
  ['stream: transport, parsing', /src\/shared\/(httpStudioClient|studioApi)\.ts/],
  // The tree: React Flow's page side (before issue 18) and the tree's own layout and renderer (after).
  [
    'the tree: layout, cards, viewport, minimap',
    /screens\/runs\/(BeamTree|Tree[A-Z]\w*|tree[A-Z]\w*|layoutClient|useTree\w*|findNodes)\./,
  ],
  ['chart: our code', /screens\/runs\/RewardChart/],
  ['other studio code', /src\//],
  ['other libraries', /node_modules\//],
];

const file = process.argv[2];
const topAt = process.argv.indexOf('--top');
const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 12;
if (!file) {
  process.stderr.write('usage: node bench/profileSummary.mjs <file.cpuprofile> [--top N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));

const maps = new Map();
function consumer(url) {
  if (!maps.has(url)) {
    const name = url.split('/').pop()?.split('?')[0] ?? '';
    const mapFile = path.join(rendererDir, 'assets', `${name}.map`);
    maps.set(url, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null);
  }
  return maps.get(url);
}

/** The original source and function of a profile node, where the source maps know them. */
function origin(frame) {
  if (!frame.url) return null;
  const map = consumer(frame.url);
  if (!map) return { source: frame.url, name: frame.functionName };
  const at = map.findEntry(frame.lineNumber, frame.columnNumber); // both zero-based, as in the profile
  return { source: at.originalSource ?? frame.url, name: at.name ?? frame.functionName };
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const partOf = new Map();
function part(id) {
  if (partOf.has(id)) return partOf.get(id);
  const node = byId.get(id);
  const fn = node.callFrame.functionName;
  let result;
  if (fn === '(program)') result = '(program): the browser outside JS — style, layout, paint';
  else if (fn === '(idle)' || fn === '(garbage collector)' || fn === '(root)') result = fn;
  else {
    const o = origin(node.callFrame);
    if (o) result = PARTS.find(([, re]) => re.test(o.source))?.[0] ?? `unplaced: ${o.source}`;
    else result = parentOf.has(id) ? part(parentOf.get(id)) : 'native';
  }
  partOf.set(id, result);
  return result;
}

// Self time of each node: the samples' time deltas.
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const parts = new Map();
const functions = new Map();
for (const [id, ms] of self) {
  const p = part(id);
  if (p === '(idle)') continue;
  parts.set(p, (parts.get(p) ?? 0) + ms);
  const node = byId.get(id);
  const o = origin(node.callFrame);
  const key = `${p} · ${o ? `${o.name || '(anonymous)'} (${o.source.replace(/^.*node_modules\//, '')})` : node.callFrame.functionName}`;
  functions.set(key, (functions.get(key) ?? 0) + ms);
}
const total = (profile.endTime - profile.startTime) / 1000;
const idle = [...self].filter(([id]) => part(id) === '(idle)').reduce((s, [, ms]) => s + ms, 0);
const busy = total - idle;
const row = ([name, ms]) =>
  `  ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${name}`;
process.stdout.write(
  `${path.basename(file)}: ${total.toFixed(0)} ms profiled, ${busy.toFixed(0)} ms busy (% of busy)\n` +
    `${[...parts]
      .sort((a, b) => b[1] - a[1])
      .map(row)
      .join('\n')}\n` +
    `top functions:\n${[...functions]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(row)
      .join('\n')}\n`,
);
