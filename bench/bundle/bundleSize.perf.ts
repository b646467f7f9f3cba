// Issue 10, item 6: a lighter renderer. Measured on the built output (out/renderer, from `npm
// run build:electron`): the JavaScript index.html loads before any lazy chunk, gzipped, against
// a 250 kB target; the total of every chunk; the largest lazy chunks. (The beam tree lays itself
// out since issue 18: no graph-layout library or worker is bundled any more.)
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBenchResult } from '../support/benchResults.js';
import { readRendererBuild } from '../support/builtRenderer.js';
import { round } from '../support/rounding.js';

const RENDERER = path.resolve(import.meta.dirname, '../../out/renderer');
/** kB as Vite prints them: 1,000 bytes. */
const KB = 1000;
const FIRST_LOAD_TARGET_KB = 250;

describe('renderer bundle', () => {
  it('loads at most 250 kB of gzipped JavaScript first', () => {
    const chunks = readRendererBuild(RENDERER);
    const sum = (kind?: string) =>
      chunks.filter((c) => kind === undefined || c.kind === kind).reduce((s, c) => s + c.gzipBytes, 0);
    const firstLoad = sum('first load');
    const total = sum();
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
          measure: 'all JS chunks, gzipped (first load + lazy)',
          value: kb(total),
          unit: 'kB',
          note: `${chunks.length} files; lazy ${kb(sum('lazy'))} kB`,
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
  });
});
