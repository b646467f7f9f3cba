// An exclusive lock on a file or folder, shared by processes on one machine: the CLI and the
// studio must never write the same run folder or settings file at once. The lock is a file
// `<target>.lock` holding who took it (pid, host, what, since), created atomically by hard-linking
// a fully written temporary file, so a reader never sees a half-written holder.
//
// Written here rather than taken from proper-lockfile: that library detects a crashed holder
// by an mtime it must keep refreshing (seconds of delay, a timer in every process), and keeps no
// record of who holds the lock. Here a holder whose process is gone on this machine is stale at
// once, and a refusal names the holder.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  /** What holds it, in words: "drpo-studio optimize", "the studio". */
  what: string;
  /** Milliseconds since the epoch. */
  since: number;
}

export interface Lock {
  readonly file: string;
  release(): void;
}

export class LockHeldError extends Error {
  constructor(
    readonly target: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `${target} is in use by ${holder.what} (pid ${holder.pid} on ${holder.host}, since ${new Date(holder.since).toISOString()})`
        : `${target} is in use (its lock file ${target}.lock cannot be read)`,
    );
    this.name = 'LockHeldError';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.host !== 'string') return undefined;
    return {
      pid: holder.pid,
      host: holder.host,
      what: String(holder.what ?? 'another process'),
      since: Number(holder.since ?? 0),
    };
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder on this machine whose process has ended (a crash or a kill) no longer holds anything. */
function isStale(holder: LockHolder | undefined): holder is LockHolder {
  return holder !== undefined && holder.host === hostname() && !processAlive(holder.pid);
}

/** Locks this process holds: released when it exits, so a clean exit (a Ctrl-C, a `fail`) leaves none behind. */
const held = new Set<Lock>();
process.on('exit', () => {
  for (const lock of held) lock.release();
});

/** Takes the lock on `target` at once, or throws LockHeldError naming the live holder. */
export function acquireLock(target: string, what: string): Lock {
  const file = `${target}.lock`;
  const holder: LockHolder = { pid: process.pid, host: hostname(), what, since: Date.now() };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, file);
        const lock: Lock = {
          file,
          release: () => {
            if (held.delete(lock)) releaseIfOurs(file, holder);
          },
        };
        held.add(lock);
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(file);
      if (!isStale(current)) throw new LockHeldError(target, current);
      // Move the stale lock aside (atomic: of two processes doing this, one wins), then retry once.
      // If what was moved is not the stale lock (another process replaced it in between), put it back.
      const aside = `${file}.${process.pid}.stale`;
      try {
        renameSync(file, aside);
      } catch {
        continue; // someone else cleared it first; the retry decides
      }
      const moved = readHolder(aside);
      if (!isStale(moved)) {
        try {
          linkSync(aside, file);
        } finally {
          unlinkSync(aside);
        }
        throw new LockHeldError(target, moved);
      }
      unlinkSync(aside);
    }
    throw new LockHeldError(target, readHolder(file));
  } finally {
    unlinkSync(tmp);
  }
}

function releaseIfOurs(file: string, holder: LockHolder): void {
  const current = readHolder(file);
  if (current?.pid === holder.pid && current.since === holder.since && current.host === holder.host) unlinkSync(file);
}

/** Runs `fn` holding the lock, waiting up to `waitMs` for another holder to let go. */
export async function withLock<T>(target: string, what: string, waitMs: number, fn: () => Promise<T> | T): Promise<T> {
  const deadline = Date.now() + waitMs;
  let lock: Lock;
  for (;;) {
    try {
      lock = acquireLock(target, what);
      break;
    } catch (error) {
      if (!(error instanceof LockHeldError) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
  }
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
