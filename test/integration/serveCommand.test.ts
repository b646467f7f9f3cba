// Browser mode: the real studio service over HTTP on 127.0.0.1 behind a per-launch token, driven
// by the same client the browser uses; and `drpo-studio serve` itself, serving the built UI.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudioService } from '../../src/main/api/studioService.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import { serveStudioApi } from '../../src/main/transports/httpTransport.js';
import { createHttpStudioClient } from '../../src/shared/httpStudioClient.js';
import type { RunEventMessage } from '../../src/shared/studioApi.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('browser mode', () => {
  it('runs a search started over HTTP and streams its events to the client', { timeout: 60_000 }, async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'drpo-serve-'));
    mkdirSync(path.join(userData, 'plugins'));
    symlinkSync(path.join(root, 'test/support/plugins/scripted'), path.join(userData, 'plugins/scripted'));
    const store = await SettingsStore.open(userData);
    await store.update((s) => void s.enabledPlugins.push('scripted'));
    const service = createStudioService({ userDataDir: userData });
    const server = await serveStudioApi(service.api);
    try {
      const studio = createHttpStudioClient(server.url, server.token);
      const { id } = await studio.runs.start({
        stage: 'system-prompt',
        config: {
          backends: { scripted: { plugin: 'scripted', settings: { latencyMs: 5 }, concurrency: 4 } },
          search: { width: 2, samples: 2, depth: 3 },
          cacheDir: null,
        },
      });
      const events: RunEventMessage[] = [];
      await new Promise<void>((resolve) => {
        const stop = studio.runs.subscribe(id, 0, (event) => {
          events.push(event);
          if (event.type === 'run-finished' || event.type === 'run-failed') {
            stop();
            resolve();
          }
        });
      });
      expect(events.at(-1)!.type).toBe('run-finished');
      expect(events.filter((e) => e.type === 'node')).toHaveLength(1 + 2 + 4);
      expect(await studio.runs.list()).toMatchObject([{ id, status: 'finished', nodeCount: 7 }]);
      await expect(studio.runs.get('no-such-run')).rejects.toThrow('no run no-such-run');
    } finally {
      await service.close();
      await server.close();
    }
  });

  it('drpo-studio serve prints its address with the token in the fragment and serves the built UI', {
    timeout: 60_000,
  }, async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'drpo-serve-'));
    const child = spawn(process.execPath, [path.join(root, 'bin/drpo-studio.js'), 'serve', '--user-data', userData], {
      cwd: root,
    });
    try {
      const [, origin, token] = await new Promise<RegExpExecArray>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(out);
          if (match) resolve(match);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      expect((await fetch(`${origin}/api/call/runs/list`, { method: 'POST', body: '{"args":[]}' })).status).toBe(401);
      expect(await createHttpStudioClient(origin!, token!).runs.list()).toEqual([]);
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    } finally {
      child.kill('SIGTERM');
    }
  });
});
