// `drpo-studio serve` for browser tests: the built CLI on a fresh, temporary user-data folder, its
// tokenised address read from stdout, and an HTTP client of the StudioApi for arranging data.
//
// `startStudioServer()` for a server shared by several tests (beforeAll/afterAll); the
// `studioServer` fixture for one per test.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { createHttpStudioClient } from '../../../src/shared/httpStudioClient.js';
import type { StudioApi } from '../../../src/shared/studioApi.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface StudioServer {
  /** The address as printed, token in the fragment: what a user opens. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  /** The StudioApi over HTTP, as the browser sees it: for arranging data. */
  studio: StudioApi;
  userDataDir: string;
  /** Everything the server wrote to stdout and stderr so far. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its user-data folder. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** `hubUrl`: a model hub of the test's own (the default: a closed port). */
export async function startStudioServer(options: { hubUrl?: string } = {}): Promise<StudioServer> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'drpo-e2e-'));
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/drpo-studio.js'), 'serve', '--user-data', userDataDir],
    {
      cwd: repoRoot,
      // Tests never reach the internet: the model hub is a closed local port unless a test serves
      // one, so runs on the default retriever fall back to BM25 at once.
      env: { ...process.env, DRPO_STUDIO_HUB_URL: options.hubUrl ?? 'http://127.0.0.1:4' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async (): Promise<void> => {
    await terminate(child);
    rmSync(userDataDir, { recursive: true, force: true });
  };

  let origin: string;
  let token: string;
  try {
    [origin, token] = await new Promise<[string, string]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`drpo-studio serve printed no address within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
        STARTUP_TIMEOUT_MS,
      );
      const check = () => {
        const match = /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(output);
        if (!match) return;
        clearTimeout(timer);
        resolve([match[1]!, match[2]!]);
      };
      child.stdout.on('data', check);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`drpo-studio serve exited (${signal ?? code}) before printing its address:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    studio: createHttpStudioClient(origin, token),
    userDataDir,
    log: () => output,
    stop,
  };
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Playwright's `test` with `studioServer`: a fresh server per test, its log attached when the test fails. */
export const test = base.extend<{ studioServer: StudioServer }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a hook needs from an object pattern, and this one needs none
  studioServer: async ({}, use, testInfo) => {
    const server = await startStudioServer();
    try {
      await use(server);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus)
        await testInfo.attach('drpo-studio-serve.log', { body: server.log(), contentType: 'text/plain' });
      await server.stop();
    }
  },
});

export { expect } from '@playwright/test';
