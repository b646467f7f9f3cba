// What may import what (README, "Architecture"): the engine and the model layer stay free of
// Electron, HTTP servers, React and the application layers above them; plugins import only the
// plugin contract from the host.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

function imports(file: string): string[] {
  return [
    ...readFileSync(file, 'utf8').matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2]!);
}

function resolvedInside(file: string, specifier: string): string | undefined {
  return specifier.startsWith('.') ? path.relative(src, path.resolve(path.dirname(file), specifier)) : undefined;
}

describe('dependency rules', () => {
  it('the engine and the model layer import no Electron, server, UI or application layer', () => {
    const offenders: string[] = [];
    for (const layer of ['main/engine', 'main/llm']) {
      for (const file of sourceFiles(path.join(src, layer))) {
        for (const spec of imports(file)) {
          const inside = resolvedInside(file, spec);
          const bad =
            /^(electron|react|react-dom|hono|express|node:http|http)$/.test(spec) ||
            (inside !== undefined &&
              /^(main\/(store|runs|cli|config|export|plugins)|renderer|preload)\//.test(inside)) ||
            (inside !== undefined && layer === 'main/llm' && inside.startsWith('main/engine/'));
          if (bad) offenders.push(`${path.relative(src, file)} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('plugins import only the plugin contract from the host', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(src, 'plugins'))) {
      for (const spec of imports(file)) {
        const inside = resolvedInside(file, spec);
        if (inside !== undefined && !inside.startsWith('plugins/'))
          offenders.push(`${path.relative(src, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only the Electron entry point imports electron in the main process', () => {
    const users = sourceFiles(path.join(src, 'main')).filter((f) => imports(f).includes('electron'));
    expect(users.map((f) => path.relative(src, f))).toEqual(['main/electronMain.ts']);
  });
});
