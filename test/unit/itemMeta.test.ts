// meta.json, a run's or an experiment's name and notes: written atomically under its own lock,
// read back zod-checked, a damaged file reported (never thrown) and replaced by the next write.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/main/store/exclusiveLock.js';
import { readItemMeta, writeItemMeta } from '../../src/main/store/itemMeta.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drpo-meta-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, 'meta.json');

describe('meta.json', () => {
  it('is absent until written: no name, no notes, nothing damaged', () => {
    expect(readItemMeta(dir)).toEqual({ meta: {} });
  });

  it('is written whole, fields merged, a blank name or notes cleared, and nothing else left in the folder', async () => {
    expect(await writeItemMeta(dir, { name: ' Long run ' }, 'the test')).toEqual({ name: 'Long run' });
    expect(await writeItemMeta(dir, { notes: 'depth 5\n' }, 'the test')).toEqual({
      name: 'Long run',
      notes: 'depth 5\n',
    });
    expect(readFileSync(file(), 'utf8')).toBe('{\n  "name": "Long run",\n  "notes": "depth 5\\n"\n}\n');
    expect(await writeItemMeta(dir, { name: '   ', notes: '' }, 'the test')).toEqual({});
    expect(readFileSync(file(), 'utf8')).toBe('{}\n');
    // No temporary file and no lock stay behind.
    expect(readdirSync(dir)).toEqual(['meta.json']);
  });

  it('reports a file that is not JSON, or whose fields are wrong, naming it; the next write replaces it', async () => {
    writeFileSync(file(), '{"name": "half');
    const broken = readItemMeta(dir);
    expect(broken.meta).toEqual({});
    expect(broken.damaged?.file).toBe(file());
    expect(broken.damaged?.reason).toMatch(/^meta\.json is not valid JSON/);

    writeFileSync(file(), JSON.stringify({ name: 'ok', notes: ['not', 'text'] }));
    expect(readItemMeta(dir).damaged?.reason).toMatch(/^notes: /);
    writeFileSync(file(), JSON.stringify({ name: 'x'.repeat(201) }));
    expect(readItemMeta(dir).damaged?.reason).toMatch(/^name: /);

    // A damaged file's fields are not merged: the patch alone is saved.
    expect(await writeItemMeta(dir, { notes: 'fresh' }, 'the test')).toEqual({ notes: 'fresh' });
    expect(readItemMeta(dir)).toEqual({ meta: { notes: 'fresh' } });
  });

  it('refuses a name too long before writing anything', async () => {
    await expect(writeItemMeta(dir, { name: 'x'.repeat(201) }, 'the test')).rejects.toThrow();
    expect(existsSync(file())).toBe(false);
  });

  it('waits for another writer holding its lock, then writes', async () => {
    const lock = acquireLock(file(), 'another process');
    const write = writeItemMeta(dir, { name: 'after' }, 'the test');
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(file())).toBe(false);
    lock.release();
    expect(await write).toEqual({ name: 'after' });
  });
});
