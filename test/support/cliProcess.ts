// Running the built CLI as a user would: to the end, or SIGKILLed once its folder's log holds a
// given number of paid calls (to test resuming after a crash).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type LoggedEvent, readRunLog } from '../../src/main/store/runLog.js';

const root = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(root, 'bin/drpo-studio.js');

export function runCli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 600_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process (when the test itself serves something the CLI calls); `env` adds variables. */
export function runCliAsync(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The folder the CLI announced on standard error ("run DIR", "experiment DIR", "resuming DIR"). */
export function folderFrom(stderr: string): string {
  const match = /^(?:run|experiment|resuming) (.+)$/m.exec(stderr);
  if (!match) throw new Error(`no folder in:\n${stderr}`);
  return match[1]!;
}

export function paidKeys(events: LoggedEvent[], role?: string): string[] {
  return events.flatMap((e) => (e.type === 'call' && (!role || e.role === role) ? [e.key] : []));
}

/** Starts the CLI and SIGKILLs it once its log holds `calls` finished calls (of `role`, when given). */
export function killAfterCalls(args: string[], cwd: string, calls: number, role?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd });
    let stderr = '';
    let dir: string | undefined;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      dir ??= /^(?:run|experiment) (.+)$/m.exec(stderr)?.[1];
    });
    const poll = setInterval(() => {
      if (!dir || !existsSync(path.join(dir, 'events.jsonl'))) return;
      if (paidKeys(readRunLog(path.join(dir, 'events.jsonl')).events, role).length >= calls) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 50);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL' && dir) resolve(dir);
      else reject(new Error(`the command ended before it could be killed (code ${code}):\n${stderr}`));
    });
  });
}
