// One system-prompt run as a user makes it: the built CLI (`drpo-studio optimize`) in a child
// process, its roles on the openai plugin, against a FakeOpenAIServer on 127.0.0.1 in this process
// that answers every completion after a fixed latency from the benchmark model. Engine and server
// are apart, so neither's CPU slows the other's event loop on a small machine (2 cores here);
// the server is the bench's own so it can count what arrives and when.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { type LoggedEvent, readRunLog } from '../../src/main/store/runLog.js';
import { CLI, folderFrom, paidKeys } from '../../test/support/cliProcess.js';
import { FakeOpenAIServer, type FakeServerOptions } from '../../test/support/fakeOpenAIServer.js';
import { BenchModel } from './benchModel.js';

export interface ServerRunOptions {
  width: number;
  samples: number;
  depth: number;
  latencyMs: number;
  /** Requests the server serves at once (default: as many as arrive). */
  slots?: number;
  /** What the server does with a request beyond its slots (default: queue it). */
  overflow?: FakeServerOptions['overflow'];
  /** The Retry-After (seconds) a refused request is told (default 1). */
  retryAfterS?: number;
  /** The backend's `concurrency`: requests the engine keeps in flight, or 'auto' to find the server's capacity. */
  concurrency: number | 'auto';
  /** The openai plugin's `maxParallel`: what the user says the server serves. */
  maxParallel?: number;
}

export interface ServerRun {
  dir: string;
  result: SystemPromptResult;
  events: LoggedEvent[];
  /** The run's own wall time: result.json's wallMs (backends opened to result written). */
  wallMs: number;
  /** The CLI process from spawn to exit (Node's start and module loading included). */
  processMs: number;
  /** Peak requests open at the server (served or waiting for a slot): what the engine had in flight. */
  peakInFlight: number;
  /** Peak requests in a slot at once. */
  peakServing: number;
  /** Slot time used over slot time available during the run. */
  slotUtilization: number;
  /** Completion requests the server answered. */
  requests: number;
  /** Completion requests the server refused (all its slots busy). */
  rejected: number;
  /** `node-failed` events: nodes the search lost. */
  failedNodes: number;
  /** The backend's concurrency limit as the run log has it: the first, then each change. */
  limits: number[];
  stderr: string;
}

/** A new run's work directory with its run.json (cache off: every run pays all its calls). */
export function benchWorkDir(baseURL: string, options: ServerRunOptions): string {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-bench-'));
  const config = {
    backends: {
      server: {
        plugin: 'openai',
        settings: {
          baseURL,
          model: 'bench',
          ...(options.maxParallel !== undefined ? { maxParallel: options.maxParallel } : {}),
        },
        concurrency: options.concurrency,
        maxRetries: 0,
      },
    },
    search: { width: options.width, samples: options.samples, depth: options.depth },
    runsDir: 'runs',
    cacheDir: null,
  };
  writeFileSync(path.join(work, 'run.json'), JSON.stringify(config, null, 2));
  return work;
}

export interface CliSession {
  child: ChildProcess;
  /** Resolves with the folder once the CLI has announced it. */
  dir: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the CLI without blocking this process (the server answers from here). */
export function startCli(args: string[], cwd: string): CliSession {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let announce: (dir: string) => void;
  let silent: (error: Error) => void;
  const dir = new Promise<string>((resolve, reject) => {
    announce = resolve;
    silent = reject;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/^(?:run|resuming) .+$/m.test(stderr)) announce(folderFrom(stderr));
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => {
      silent(new Error(`drpo-studio ${args.join(' ')} ended (${code ?? signal}) before naming its folder:\n${stderr}`));
      resolve({ code, signal, stderr });
    }),
  );
  dir.catch(() => undefined); // awaited by whoever needs it
  return { child, dir, exit };
}

/** Keys of the calls a run folder's log holds (paid and finished), as the run goes. */
export function loggedCallKeys(dir: string): string[] {
  const log = path.join(dir, 'events.jsonl');
  return existsSync(log) ? paidKeys(readRunLog(log).events) : [];
}

/** SIGKILLs the session once its log holds `calls` paid calls; resolves false when it finished first. */
export async function killAfterPaidCalls(session: CliSession, calls: number): Promise<boolean> {
  const dir = await session.dir;
  const poll = setInterval(() => {
    if (loggedCallKeys(dir).length >= calls) session.child.kill('SIGKILL');
  }, 10);
  const { signal } = await session.exit;
  clearInterval(poll);
  return signal === 'SIGKILL';
}

export async function startBenchServer(
  options: Pick<ServerRunOptions, 'latencyMs' | 'slots' | 'overflow' | 'retryAfterS'>,
): Promise<FakeOpenAIServer> {
  return FakeOpenAIServer.start(new BenchModel(), {
    modelId: 'bench',
    latencyMs: options.latencyMs,
    slots: options.slots,
    overflow: options.overflow,
    retryAfterS: options.retryAfterS,
  });
}

/** Reads a finished run's folder. */
export function readRun(dir: string): { result: SystemPromptResult; events: LoggedEvent[] } {
  return {
    result: JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult,
    events: readRunLog(path.join(dir, 'events.jsonl')).events,
  };
}

/** One whole run on a fresh server; fails loudly when the CLI does. */
export async function serverRun(options: ServerRunOptions): Promise<ServerRun> {
  const server = await startBenchServer(options);
  try {
    const work = benchWorkDir(server.baseURL, options);
    const started = performance.now();
    const session = startCli(['optimize', '--config', 'run.json', '--user-data', 'user-data'], work);
    const { code, stderr } = await session.exit;
    const processMs = performance.now() - started;
    if (code !== 0) throw new Error(`drpo-studio optimize failed (${code}):\n${stderr}`);
    const dir = await session.dir;
    const { result, events } = readRun(dir);
    const completions = server.requests.filter((r) => r.path.endsWith('/completions'));
    const slots = options.slots ?? server.maxServing;
    return {
      dir,
      result,
      events,
      wallMs: result.wallMs,
      processMs,
      peakInFlight: server.maxInFlight,
      peakServing: server.maxServing,
      slotUtilization: server.servingMs / (slots * result.wallMs),
      requests: completions.length - server.rejected,
      rejected: server.rejected,
      failedNodes: events.filter((e) => e.type === 'node-failed').length,
      limits: events.flatMap((e) => (e.type === 'concurrency' ? [e.limit] : [])),
      stderr,
    };
  } finally {
    await server.close();
  }
}

/** Calls and samples per role, as the details keep them. */
export function roleCounts(result: SystemPromptResult): Record<string, { calls: number; samples: number }> {
  return Object.fromEntries(
    Object.entries(result.calls).map(([role, t]) => [role, { calls: t.calls, samples: t.samples }]),
  );
}
