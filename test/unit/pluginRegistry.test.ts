// Hostile and damaged plugin folders: a manifest cannot point the studio at code outside its
// folder, two folders claiming one id are both refused, and a damaged folder is listed with its
// reason without breaking the list. Each hostile module writes a marker when imported: it must
// never be written.
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { PluginRegistry } from '../../src/main/plugins/pluginRegistry.js';

const manifest = (id: string, main?: string) => ({
  id,
  version: '1.0.0',
  apiVersion: 1,
  name: id,
  ...(main ? { main } : {}),
  capabilities: {
    chat: true,
    completion: false,
    multipleSamples: false,
    jsonSchema: false,
    seed: false,
    embeddings: false,
    listModels: false,
  },
  settings: [],
});

describe('the plugin registry with hostile and damaged folders', () => {
  let root: string;
  let plugins: string;
  let marker: string;
  const hostileModule = () =>
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default { create() {} };\n`;

  function pluginFolder(folder: string, m: object, files: Record<string, string> = {}) {
    mkdirSync(path.join(plugins, folder), { recursive: true });
    writeFileSync(path.join(plugins, folder, 'manifest.json'), JSON.stringify(m));
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(plugins, folder, name), content);
  }

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'drpo-plugins-'));
    plugins = path.join(root, 'plugins');
    marker = path.join(root, 'hostile-code-ran');
    mkdirSync(plugins);
    writeFileSync(path.join(root, 'outside.mjs'), hostileModule());
  });

  it("refuses a manifest whose main lies outside the plugin's folder, by a relative path or a link", async () => {
    pluginFolder('climbs', manifest('climbs', '../../outside.mjs'));
    pluginFolder('linked', manifest('linked', 'index.mjs'));
    symlinkSync(path.join(root, 'outside.mjs'), path.join(plugins, 'linked', 'index.mjs'));
    pluginFolder('absolute', manifest('absolute', path.join(root, 'outside.mjs')));
    const registry = new PluginRegistry({ userPluginsDir: plugins, enabled: ['climbs', 'linked', 'absolute'] });
    for (const id of ['climbs', 'linked', 'absolute'])
      await expect(registry.load(id)).rejects.toThrow(
        new RegExp(`^plugin "${id}": its module .* lies outside its folder`),
      );
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses both of two folders that claim one id, and runs neither', async () => {
    pluginFolder('a-copy', manifest('twin'), { 'index.js': hostileModule() });
    pluginFolder('b-copy', manifest('twin'), { 'index.js': hostileModule() });
    const registry = new PluginRegistry({ userPluginsDir: plugins, enabled: ['twin'] });
    const twins = registry.discover().filter((p) => p.id === 'twin');
    expect(twins.map((t) => [path.basename(t.dir!), t.enabled])).toEqual([
      ['a-copy', false],
      ['b-copy', false],
    ]);
    expect(twins[0]!.error).toBe(
      `plugin "twin" (${path.join(plugins, 'a-copy')}): another folder claims the same id (${path.join(plugins, 'b-copy')}); remove one`,
    );
    await expect(registry.load('twin')).rejects.toThrow(/another folder claims the same id/);
    expect(existsSync(marker)).toBe(false);
  });

  it('lists a link to nothing and a folder without a manifest as damaged, and the others as they are', () => {
    symlinkSync(path.join(root, 'gone'), path.join(plugins, 'dangling'));
    mkdirSync(path.join(plugins, 'empty'));
    writeFileSync(path.join(plugins, 'notes.txt'), 'not a plugin');
    pluginFolder('fine', manifest('fine'), { 'index.js': 'export default { create() {} };\n' });
    const user = new PluginRegistry({ userPluginsDir: plugins, enabled: ['fine'] })
      .discover()
      .filter((p) => p.source === 'user');
    expect(user.map((p) => [p.id, p.enabled, p.error])).toEqual([
      ['dangling', false, `plugin folder ${path.join(plugins, 'dangling')} links to nothing`],
      ['empty', false, `plugin folder ${path.join(plugins, 'empty')} has no manifest.json`],
      ['fine', true, undefined],
    ]);
  });

  it('never loads a plugin that is not enabled, whatever its folder says', async () => {
    pluginFolder('quiet', manifest('quiet'), { 'index.js': hostileModule() });
    await expect(new PluginRegistry({ userPluginsDir: plugins, enabled: [] }).load('quiet')).rejects.toThrow(
      /not enabled/,
    );
    expect(existsSync(marker)).toBe(false);
  });
});
