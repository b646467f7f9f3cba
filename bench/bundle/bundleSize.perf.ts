// Issue 10, item 6: a lighter renderer. Measured on the built output (out/renderer, from `npm
// run build:electron`): the JavaScript index.html loads before any lazy chunk, gzipped, against
// a 250 kB target; the total of every chunk; the largest lazy chunks; and that the graph-layout
// library (dagre) is bundled once: into the layout worker, and not into the page's chunks
// (besides the fallback that the page loads only where the worker cannot start).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBenchResult } from '../support/benchResults.js';
import { readRendererBuild } from '../support/builtRenderer.js';
import { round } from '../support/rounding.js';

const RENDERER = path.resolve(import.meta.dirname, '../../out/renderer');
/** kB as Vite prints them: 1,000 bytes. */
const KB = 1000;
const FIRST_LOAD_TARGET_KB = 250;
/** A string of dagre's own code that minifying keeps (a ranker's name). */
const DAGRE_MARK = 'network-simplex';
/** The no-worker fallback's chunk: named after treeLayout.ts, which only it and the worker import. */
const LAYOUT_FALLBACK = /^assets\/treeLayout-[\w-]+\.js$/;

describe('renderer bundle', () => {
  it('loads at most 250 kB of gzipped JavaScript first, and the layout library once', () => {
    const chunks = readRendererBuild(RENDERER);
    const sum = (kind?: string) =>
      chunks.filter((c) => kind === undefined || c.kind === kind).reduce((s, c) => s + c.gzipBytes, 0);
    const firstLoad = sum('first load');
    const total = sum();
    const withDagre = chunks.filter((c) => c.code.includes(DAGRE_MARK));
    const dagreInPage = withDagre.filter((c) => c.kind !== 'worker' && !LAYOUT_FALLBACK.test(c.file));
    const kb = (bytes: number) => round(bytes / KB, 1);
    const byGzip = [...chunks].sort((a, b) => b.gzipBytes - a.gzipBytes);
    const listed = (list: typeof chunks) =>
      list.map((c) => ({ file: c.file, kind: c.kind, kB: kb(c.bytes), gzipKB: kb(c.gzipBytes) }));

    writeBenchResult(
      'renderer-bundle',
      'Renderer bundle (out/renderer, gzipped with Node zlib)',
      [
        {
          measure: 'first load: JS index.html loads before any lazy chunk, gzipped',
          value: kb(firstLoad),
          unit: 'kB',
          target: `≤ ${FIRST_LOAD_TARGET_KB} kB`,
          ok: firstLoad <= FIRST_LOAD_TARGET_KB * KB,
          note: `${chunks.filter((c) => c.kind === 'first load').length} file(s): entry + static imports`,
        },
        {
          measure: 'all JS chunks, gzipped (first load + lazy + worker)',
          value: kb(total),
          unit: 'kB',
          note: `${chunks.length} files; lazy ${kb(sum('lazy'))} kB, worker ${kb(sum('worker'))} kB`,
        },
        {
          measure: 'layout library (dagre) in page chunks besides its no-worker fallback',
          value: dagreInPage.length,
          unit: 'chunks',
          target: '= 0',
          ok: dagreInPage.length === 0,
          note: `found in: ${withDagre.map((c) => `${c.file} (${c.kind})`).join(', ') || 'none'}`,
        },
      ],
      { chunks: listed(byGzip), largestLazy: listed(byGzip.filter((c) => c.kind === 'lazy').slice(0, 5)) },
    );
    process.stdout.write(
      `  largest lazy chunks: ${byGzip
        .filter((c) => c.kind === 'lazy')
        .slice(0, 5)
        .map((c) => `${path.basename(c.file)} ${kb(c.gzipBytes)} kB`)
        .join(', ')}\n`,
    );

    expect(firstLoad).toBeLessThanOrEqual(FIRST_LOAD_TARGET_KB * KB);
    expect(withDagre.some((c) => c.kind === 'worker')).toBe(true);
    expect(dagreInPage.map((c) => c.file)).toEqual([]);
  });
});
