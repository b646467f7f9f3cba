// User data at rest: folders 0700, files 0600, atomic writes that leave nothing behind when they fail.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePrivateDir, writeFileAtomic } from '../../src/main/store/privateFiles.js';
import { RunLog } from '../../src/main/store/runLog.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('private files', () => {
  it('creates folders 0700 and files 0600, the run log included', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'drpo-private-')), 'a', 'b');
    makePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
    writeFileAtomic(path.join(dir, 'config.json'), '{}');
    expect(mode(path.join(dir, 'config.json'))).toBe(0o600);
    new RunLog(path.join(dir, 'events.jsonl')).append({ type: 'run-finished' });
    expect(mode(path.join(dir, 'events.jsonl'))).toBe(0o600);
  });

  it('leaves no temporary file behind when the rename fails, and the old content as it was', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-private-'));
    mkdirSync(path.join(dir, 'result.json')); // a folder in the way: the rename must fail
    expect(() => writeFileAtomic(path.join(dir, 'result.json'), '{"x":1}')).toThrow();
    expect(readdirSync(dir)).toEqual(['result.json']);
    writeFileAtomic(path.join(dir, 'kept.json'), 'one');
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'kept.json'), 'two')).toThrow();
    expect(readFileSync(path.join(dir, 'kept.json'), 'utf8')).toBe('one');
    expect(readdirSync(dir).sort()).toEqual(['kept.json', 'result.json']);
  });
});
