// The built renderer (out/renderer) as a browser loads it: which JavaScript files index.html
// loads before anything else (its module scripts and modulepreloads, and all they import
// statically), which only on demand (dynamic imports, with what those import), and the rest
// (the renderer's Web Workers, started by URL), each with its size raw and gzipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export type ChunkKind = 'first load' | 'lazy' | 'worker';

export interface BuiltChunk {
  /** Path under out/renderer, e.g. assets/index-abc.js. */
  file: string;
  kind: ChunkKind;
  bytes: number;
  /** Gzipped with Node's zlib at its default level, as a server would send it. */
  gzipBytes: number;
  code: string;
}

const QUOTED = String.raw`["'\x60](\./[^"'\x60]+\.js)["'\x60]`;
/** `import … from "./x.js"`, `export … from "./x.js"`, `import "./x.js"` (minified or not). */
const STATIC_IMPORT = new RegExp(String.raw`(?:\bfrom|\bimport)\s*${QUOTED}`, 'g');
const DYNAMIC_IMPORT = new RegExp(String.raw`\bimport\(\s*${QUOTED}`, 'g');

const targets = (code: string, pattern: RegExp) => [...code.matchAll(pattern)].map((m) => m[1]!);

/** Reads every .js file under `dir` (out/renderer), classified from index.html onwards. */
export function readRendererBuild(dir: string): BuiltChunk[] {
  const html = path.join(dir, 'index.html');
  if (!existsSync(html)) throw new Error(`no built renderer at ${dir}: run npm run build:electron first`);
  const files = readdirSync(path.join(dir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const code = new Map(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  // Chunks import one another by paths relative to their own folder (assets/).
  const resolve = (from: string, target: string) => path.posix.join(path.posix.dirname(from), target);

  const entries = [
    ...readFileSync(html, 'utf8').matchAll(
      /<script[^>]*\btype="module"[^>]*\bsrc="([^"]+)"|<link[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g,
    ),
  ].map((m) => path.posix.normalize(m[1] ?? m[2]!));
  const closure = (roots: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file) || !code.has(file)) return;
      seen.add(file);
      for (const t of targets(code.get(file)!, STATIC_IMPORT)) visit(resolve(file, t));
    };
    for (const root of roots) visit(root);
    return seen;
  };
  const firstLoad = closure(entries);
  const dynamicRoots = files.flatMap((f) => targets(code.get(f)!, DYNAMIC_IMPORT).map((t) => resolve(f, t)));
  const lazy = closure(dynamicRoots);

  return files.map((file) => {
    const text = code.get(file)!;
    return {
      file,
      kind: firstLoad.has(file) ? 'first load' : lazy.has(file) ? 'lazy' : 'worker',
      bytes: Buffer.byteLength(text),
      gzipBytes: gzipSync(text).length,
      code: text,
    };
  });
}
