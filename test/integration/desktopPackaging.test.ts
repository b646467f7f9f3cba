// The installers' configuration (electron-builder.config.mjs), read as data: electron-builder
// itself is not needed (nor Electron's binary, which it downloads). Checked against what the
// build leaves on disk: `npm test` has run `npm run build:electron` before vitest.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from '../../src/main/appMenu.js';

interface BuilderConfig {
  appId: string;
  productName: string;
  icon: string;
  directories: { output: string };
  files: string[];
  asarUnpack: string[];
  extraResources: string[];
  linux: { target: string[]; executableName: string };
  mac: { target: string[] };
  win: { target: string[] };
}

const configUrl = pathToFileURL(path.resolve('electron-builder.config.mjs')).href;

async function loadConfig(gpuBuilds?: string): Promise<BuilderConfig> {
  const saved = process.env.DRPO_GPU_BUILDS;
  if (gpuBuilds === undefined) delete process.env.DRPO_GPU_BUILDS;
  else process.env.DRPO_GPU_BUILDS = gpuBuilds;
  try {
    // A fresh evaluation per call: the module reads the variable when it loads.
    return ((await import(`${configUrl}?gpu=${gpuBuilds}`)) as { default: BuilderConfig }).default;
  } finally {
    if (saved === undefined) delete process.env.DRPO_GPU_BUILDS;
    else process.env.DRPO_GPU_BUILDS = saved;
  }
}

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe('the desktop installers', () => {
  it('builds AppImage and deb, dmg and NSIS, as DRPO Studio, into release/', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('org.drpostudio.studio');
    expect(config.productName).toBe('DRPO Studio');
    expect(config.directories.output).toBe('release');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    // The CLI keeps its name on a machine with both installed.
    expect(config.linux.executableName).not.toBe('drpo-studio');
    expect(packageJson.scripts.dist).toBe(
      'npm run build:electron && electron-builder --config electron-builder.config.mjs',
    );
  });

  it('packs the built app and resources, nothing of the tests, sources or docs', async () => {
    const { files, extraResources } = await loadConfig();
    expect(files.slice(0, 3)).toEqual(['out/**', 'resources/**', 'package.json']);
    expect(files.filter((f) => /^!?(test|src|docs|bench|scripts|examples)\b/.test(f))).toEqual([]);
    expect(extraResources).toEqual(['README.md']);
    // What those patterns take, as the build leaves it: the main process electron starts, its
    // preload, the renderer, and the data resourcePaths.ts reads inside app.asar.
    for (const built of [
      packageJson.main,
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'resources/aspects.json',
      'resources/prompts/reward.txt',
      'README.md',
    ]) {
      expect(existsSync(built), built).toBe(true);
    }
    expect(packageJson.main).toBe('out/main/index.js');
  });

  it("the main process imports nothing but Electron, Node's modules and the packed dependencies", () => {
    const bundles = ['out/main/index.js', ...readdirSync('out/main/chunks').map((f) => `out/main/chunks/${f}`)];
    const imported = new Set<string>();
    for (const file of bundles) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*["']([^"'./][^"']*)["']/g)) {
        imported.add(spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!);
      }
    }
    const allowed = new Set([...Object.keys(packageJson.dependencies), 'electron', ...builtinModules]);
    expect([...imported].filter((name) => !allowed.has(name.replace(/^node:/, '')))).toEqual([]);
  });

  it('unpacks the native modules from app.asar, and leaves the GPU builds out unless asked', async () => {
    const config = await loadConfig();
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'node_modules/node-llama-cpp/bins/**',
        'node_modules/@node-llama-cpp/**',
        'node_modules/onnxruntime-node/bin/**',
        '**/*.node',
      ]),
    );
    // The folders they name are where npm puts them (this machine's llama.cpp build among them).
    for (const dir of ['node-llama-cpp/bins', `@node-llama-cpp/linux-x64`, 'onnxruntime-node/bin/napi-v6/linux/x64']) {
      if (process.platform === 'linux' && process.arch === 'x64')
        expect(existsSync(`node_modules/${dir}`), dir).toBe(true);
    }
    const gpuExclusion = '!node_modules/@node-llama-cpp/*-{cuda,cuda-ext,vulkan}/**';
    expect(config.files).toContain(gpuExclusion);
    expect((await loadConfig('1')).files).not.toContain(gpuExclusion);
  });

  it('has a 512×512 PNG icon (the size macOS needs)', async () => {
    const { icon } = await loadConfig();
    const png = readFileSync(icon);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it('has a menu bar: File, Edit, View, Help with Open the README; the app menu on macOS', () => {
    let opened = 0;
    const linux = appMenuTemplate({ isMac: false, openReadme: () => opened++ });
    expect(linux.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'help']);
    expect(linux[0]!.submenu).toEqual([{ role: 'quit' }]);
    const help = linux[3]!.submenu as { label?: string; role?: string; click?: () => void }[];
    expect(help.map((item) => item.label ?? item.role)).toEqual(['Open the README', 'about']);
    help[0]!.click!();
    expect(opened).toBe(1);
    const mac = appMenuTemplate({ isMac: true, openReadme: () => {} });
    expect(mac.map((m) => m.label ?? m.role)).toEqual(['appMenu', 'File', 'editMenu', 'View', 'help']);
    expect(mac[1]!.submenu).toEqual([{ role: 'close' }]);
  });
});
