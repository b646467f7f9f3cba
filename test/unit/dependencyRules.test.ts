// What may import what (README, "Architecture"): the engine and the model layer stay free of
// Electron, HTTP servers, React and the application layers above them; plugins import only the
// plugin contract, the plugin kit and the shared openai-compatible client.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** What a file imports at run time: `import type` lines are erased by the compiler. */
function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm),
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

  describe('plugins', () => {
    const pluginsDir = path.join(src, 'plugins');
    // The folders of src/plugins that are not plugins, and what each may import besides itself.
    const SHARED: Record<string, readonly string[]> = {
      kit: ['plugins/contract.ts'],
      'openai-compatible': ['plugins/contract.ts', 'plugins/kit/'],
    };
    // A plugin folder (one with a manifest.json) may import these besides itself.
    const FOR_PLUGINS = ['plugins/contract.ts', 'plugins/kit/', 'plugins/openai-compatible/'];

    /** `file` imports `target` (relative to src, .js read as its .ts source). */
    function allowed(target: string, own: string, extra: readonly string[]): boolean {
      const source = target.replace(/\.js$/, '.ts');
      return [`${own}/`, ...extra].some((prefix) =>
        prefix.endsWith('/') ? source.startsWith(prefix) : source === prefix,
      );
    }

    /** "FILE imports SPEC" for every import of the folder's files not in `extra` (packages are free). */
    function offendersIn(folder: string, extra: readonly string[]): string[] {
      return sourceFiles(path.join(pluginsDir, folder)).flatMap((file) =>
        imports(file)
          .filter((spec) => {
            const inside = resolvedInside(file, spec);
            return inside !== undefined && !allowed(inside, `plugins/${folder}`, extra);
          })
          .map((spec) => `${path.relative(src, file)} imports ${spec}`),
      );
    }

    const folders = readdirSync(pluginsDir).filter((name) => statSync(path.join(pluginsDir, name)).isDirectory());
    const pluginFolders = folders.filter((name) => existsSync(path.join(pluginsDir, name, 'manifest.json')));

    it('every folder is a plugin (it has a manifest.json) or a named shared module', () => {
      expect(pluginFolders).toEqual(expect.arrayContaining(['llama-cpp', 'ollama', 'openai', 'vllm']));
      expect(folders.filter((name) => !pluginFolders.includes(name) && !(name in SHARED))).toEqual([]);
    });

    it('a plugin imports only the contract, the kit and the openai-compatible client, never another plugin', () => {
      expect(pluginFolders.flatMap((folder) => offendersIn(folder, FOR_PLUGINS))).toEqual([]);
    });

    it('the kit imports only the contract; the openai-compatible client only the contract and the kit', () => {
      expect(Object.entries(SHARED).flatMap(([folder, extra]) => offendersIn(folder, extra))).toEqual([]);
    });

    it('the contract imports nothing of the app', () => {
      const file = path.join(pluginsDir, 'contract.ts');
      expect(imports(file).filter((spec) => resolvedInside(file, spec) !== undefined)).toEqual([]);
    });
  });

  it('a screen imports the shell, the shared components and the API contract, never another screen', () => {
    const screens = path.join(src, 'renderer/src/screens');
    const offenders: string[] = [];
    for (const screen of readdirSync(screens)) {
      for (const file of sourceFiles(path.join(screens, screen))) {
        for (const spec of imports(file)) {
          const inside = resolvedInside(file, spec);
          if (inside === undefined) continue;
          const allowed =
            inside.startsWith(`renderer/src/screens/${screen}/`) ||
            /^renderer\/src\/(shell|components)\//.test(inside) ||
            inside.startsWith('shared/');
          if (!allowed) offenders.push(`${path.relative(src, file)} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the renderer imports nothing of the main process, the preload or the plugins', () => {
    const offenders = sourceFiles(path.join(src, 'renderer')).flatMap((file) =>
      imports(file)
        .filter((spec) => /^(main|preload|plugins)\//.test(resolvedInside(file, spec) ?? '') || spec === 'electron')
        .map((spec) => `${path.relative(src, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only the Electron entry point imports electron in the main process (types aside: the menu template names them)', () => {
    const users = sourceFiles(path.join(src, 'main')).filter((f) => valueImports(f).includes('electron'));
    expect(users.map((f) => path.relative(src, f))).toEqual(['main/electronMain.ts']);
  });
});
