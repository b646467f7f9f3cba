// One writer per file or folder: a live holder is refused by name, a crashed one's lock is taken
// over at once, another machine's is respected.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockHeldError, withLock } from '../../src/main/store/exclusiveLock.js';

const target = () => path.join(mkdtempSync(path.join(tmpdir(), 'drpo-lock-')), 'run-1');

function writeHolder(t: string, holder: object) {
  writeFileSync(`${t}.lock`, JSON.stringify(holder));
}

describe('the exclusive lock', () => {
  it('refuses a second holder with a message naming the first, and is free again once released', () => {
    const t = target();
    const lock = acquireLock(t, 'drpo-studio optimize');
    expect(() => acquireLock(t, 'the studio')).toThrow(
      new RegExp(`^${t} is in use by drpo-studio optimize \\(pid ${process.pid} on ${hostname()}, since \\d{4}-`),
    );
    lock.release();
    expect(existsSync(`${t}.lock`)).toBe(false);
    acquireLock(t, 'the studio').release();
    expect(readdirSync(path.dirname(t))).toEqual([]); // no temporary file left behind
  });

  it('takes over the lock of a process that has died on this machine', () => {
    const t = target();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeHolder(t, { pid: Number(dead.stdout), host: hostname(), what: 'a killed CLI', since: 1 });
    const lock = acquireLock(t, 'the studio');
    expect(() => acquireLock(t, 'another')).toThrow(/in use by the studio/);
    lock.release();
  });

  it("respects a live process's lock, and one from another machine (whose processes cannot be checked)", async () => {
    const t = target();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeHolder(t, { pid: child.pid, host: hostname(), what: 'drpo-studio eval', since: 0 });
      expect(() => acquireLock(t, 'the studio')).toThrow(LockHeldError);
      writeHolder(t, { pid: 999_999_999, host: 'another-machine', what: 'the studio', since: 0 });
      expect(() => acquireLock(t, 'the studio')).toThrow(/pid 999999999 on another-machine/);
    } finally {
      child.kill();
    }
  });

  it('says when the lock file cannot be read, rather than taking it', () => {
    const t = target();
    writeFileSync(`${t}.lock`, 'not json');
    expect(() => acquireLock(t, 'the studio')).toThrow(`${t} is in use (its lock file ${t}.lock cannot be read)`);
  });

  it('withLock waits for the holder to let go, then runs', async () => {
    const t = target();
    const first = acquireLock(t, 'first');
    const order: string[] = [];
    const second = withLock(t, 'second', 5_000, () => order.push('second'));
    await new Promise((r) => setTimeout(r, 50));
    order.push('first done');
    first.release();
    await second;
    expect(order).toEqual(['first done', 'second']);
    await expect(withLock(t, 'third', 0, () => acquireLock(t, 'nested'))).rejects.toThrow(/in use by third/);
  });
});
