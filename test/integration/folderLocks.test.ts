// One writer per folder: a run folder is written by one session at a time, whoever starts it (a
// CLI process, the studio). A second resume is refused at once naming the holder; a holder killed
// with SIGKILL leaves a stale lock the next resume takes over; readers (get, list, export, fork)
// never write a folder, not even to cut a line another process is still writing.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { acquireLock } from '../../src/main/store/exclusiveLock.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';
import { CLI, paidKeys, runCli } from '../support/cliProcess.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { scriptedRun, scriptedUserData } from '../support/scriptedUserData.js';

const KEY = 'sk-lock-test-5e1f';

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function conflict(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioApiError);
  expect((error as StudioApiError).code).toBe('conflict');
  return (error as StudioApiError).message;
}

describe('two writers of one run folder', () => {
  let server: FakeOpenAIServer;
  let userData: string;
  let service: StudioService;
  let first: ChildProcess | undefined;

  beforeAll(async () => {
    const model = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
    // Slow answers: the first CLI process is still running while the second one tries.
    server = await FakeOpenAIServer.start(model, { apiKey: KEY, latencyMs: 300 });
    userData = await scriptedUserData('drpo-locks-');
    service = createStudioService({ userDataDir: userData });
  });

  afterAll(async () => {
    first?.kill('SIGKILL');
    await service.close();
    await server.close();
    rmSync(userData, { recursive: true, force: true });
  });

  it('refuses a second CLI resume and a studio resume naming the holder, then takes over the lock of a killed holder', {
    timeout: 120_000,
  }, async () => {
    const config = path.join(userData, 'run.json');
    writeFileSync(
      config,
      JSON.stringify({
        backends: {
          fake: {
            plugin: 'openai',
            settings: { baseURL: server.baseURL, model: 'stories260K', apiKey: 'env:DRPO_LOCK_TEST_KEY' },
          },
        },
        search: { width: 1, samples: 1, depth: 4 },
        runsDir: 'runs',
        cacheDir: null,
      }),
    );
    const env = { ...process.env, DRPO_LOCK_TEST_KEY: KEY };
    first = spawn(process.execPath, [CLI, 'optimize', '--config', config], { cwd: userData, env });
    let stderr = '';
    first.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      first!.on('exit', (_code, signal) => resolve(signal)),
    );
    await until(() => /^run (.+)$/m.test(stderr), 'the run folder');
    const dir = /^run (.+)$/m.exec(stderr)![1]!;
    const log = path.join(dir, 'events.jsonl');
    await until(() => existsSync(log) && paidKeys(readRunLog(log).events).length >= 1, 'a paid call');
    const holder = `${dir} is in use by drpo-studio optimize (pid ${first.pid} on `;

    const second = runCli(['optimize', '--resume', dir], userData);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`drpo-studio: ${holder}`);
    expect(second.stderr).not.toMatch(/\n\s+at /); // one line, no stack

    const id = path.basename(dir);
    expect(await conflict(service.api.runs.resume(id))).toContain(holder);
    expect(await conflict(service.api.runs.remove(id))).toContain(holder);
    expect(await conflict(service.api.runs.cancel(id))).toContain(holder);
    expect(existsSync(dir)).toBe(true);
    // Nothing was launched by the refused resume: the studio has no session of it.
    expect((await service.api.runs.get(id)).status).toBe('paused');

    const paidByFirst = paidKeys(readRunLog(log).events).length;
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    first = undefined;
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ what: 'drpo-studio optimize' });

    const resumed = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'optimize', '--resume', dir], { cwd: userData, env });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr: err }));
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${dir}`);
    expect(existsSync(path.join(dir, 'result.json'))).toBe(true);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const events = readRunLog(log).events;
    const keys = paidKeys(events);
    expect(keys.length).toBeGreaterThanOrEqual(paidByFirst);
    expect(new Set(keys).size).toBe(keys.length);
    expect(events.at(-1)!.type).toBe('run-finished');
  });
});

describe('the studio as the writer', () => {
  let userData: string;
  let service: StudioService;

  afterEach(async () => {
    await service.close();
    rmSync(userData, { recursive: true, force: true });
  });

  it('holds the lock while a run runs (a CLI resume is refused naming the studio) and lets it go when paused', {
    timeout: 60_000,
  }, async () => {
    userData = await scriptedUserData('drpo-locks-');
    service = createStudioService({ userDataDir: userData });
    const { api } = service;
    const { id } = await api.runs.start(scriptedRun(200, 3));
    const dir = path.join(userData, 'runs', id);
    expect(await conflict(api.runs.resume(id))).toBe(`run ${id} is already running`);

    const cli = runCli(['optimize', '--resume', dir], userData);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`${dir} is in use by the studio (pid ${process.pid} on `);

    await api.runs.pause(id);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    await api.runs.resume(id);
    expect(existsSync(`${dir}.lock`)).toBe(true);
    await service.runs.settled(id);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    expect((await api.runs.get(id)).status).toBe('finished');
  });

  it('reads a run another process is writing without touching its log, a half-written line included', async () => {
    userData = await scriptedUserData('drpo-locks-');
    service = createStudioService({ userDataDir: userData });
    const { api } = service;
    const { id } = await api.runs.start(scriptedRun(50, 3));
    const seen: string[] = [];
    const unsubscribe = api.runs.subscribe(id, 0, (e) => seen.push(e.type));
    await until(() => seen.includes('node-evaluated'), 'a scored node');
    await api.runs.pause(id);
    unsubscribe();
    const dir = path.join(userData, 'runs', id);
    const log = path.join(dir, 'events.jsonl');

    // Another process holds the folder and is in the middle of writing a line.
    const writer = acquireLock(dir, 'drpo-studio optimize');
    appendFileSync(log, '{"seq":999,"ts":1,"type":"no');
    const bytes = readFileSync(log);
    const { mtimeMs } = statSync(log);
    await new Promise((r) => setTimeout(r, 20)); // an mtime written now would differ

    const detail = await api.runs.get(id);
    expect(detail.status).toBe('paused');
    expect((await api.runs.list()).map((r) => r.id)).toEqual([id]);
    const bundle = await api.runs.exportBundle(id);
    expect(bundle.events).toHaveLength(readRunLog(log).events.length);
    const replayed: number[] = [];
    api.runs.subscribe(id, 0, (e) => replayed.push(e.seq))();
    const root = detail.tree.find((n) => n.parentId === null)!;
    const { id: forked } = await api.runs.fork(id, root.id);
    await service.runs.settled(forked);

    expect(readFileSync(log).equals(bytes)).toBe(true);
    expect(statSync(log).mtimeMs).toBe(mtimeMs);
    expect(await conflict(api.runs.resume(id))).toContain(`in use by drpo-studio optimize (pid ${process.pid}`);

    // Once the writer is gone, the next writer cuts the torn line off and continues.
    writer.release();
    await api.runs.resume(id);
    await service.runs.settled(id);
    expect(readFileSync(log, 'utf8')).not.toContain('"seq":999');
    expect((await api.runs.get(id)).status).toBe('finished');
  });
});
