// The GGUF completeness check (src/main/models/ggufCheck.ts): expectations worked out by hand
// from the format (ggml's docs/gguf.md) and the files' published sizes.
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGgufFile, GGML_BLOCKS, tensorBytes } from '../../src/main/models/ggufCheck.js';
import { ggufFile } from '../support/ggufFile.js';

const STORIES = path.resolve(import.meta.dirname, '../../../shared/models/stories260K/stories260K.gguf');
const work = mkdtempSync(path.join(tmpdir(), 'drpo-gguf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tensorBytes (ggml_nbytes)', () => {
  it('is bytes per block × blocks per row × the other dimensions', () => {
    // F32 [64, 512]: 4 × 64 × 512.
    expect(tensorBytes({ name: 'a', dimensions: [64, 512], ggmlType: 0 })).toBe(131072n);
    // Q4_K [512, 3]: blocks of 256 elements in 144 bytes: 144 × 2 × 3.
    expect(tensorBytes({ name: 'b', dimensions: [512, 3], ggmlType: 12 })).toBe(864n);
    // Q8_0 [4096n, 4096n] (bigint dimensions): 34 bytes per 32 elements: 34 × 128 × 4096.
    expect(tensorBytes({ name: 'c', dimensions: [4096n, 4096n], ggmlType: 8 })).toBe(17825792n);
  });

  it('refuses a removed type and a row that is not whole blocks', () => {
    expect(() => tensorBytes({ name: 'x', dimensions: [32], ggmlType: 4 })).toThrow(/type 4/);
    expect(() => tensorBytes({ name: 'y', dimensions: [100], ggmlType: 12 })).toThrow(/not whole blocks of 256/);
  });

  it('matches the bundled llama.cpp for every type it knows', async () => {
    const { getLlama } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never' });
    // Internal bindings, read here only to guard the table against a llama.cpp upgrade.
    const b = (llama as unknown as { _bindings: Record<string, (t: number) => number | undefined> })._bindings;
    for (let type = 0; type < 64; type++) {
      const native = [b.getBlockSizeForGgmlType!(type), b.getTypeSizeForGgmlType!(type)];
      const known = native[0] !== undefined && native[0] !== null && native[0] > 0;
      expect(GGML_BLOCKS[type] ?? null, `type ${type}`).toEqual(known ? native : null);
    }
  });
});

describe('checkGgufFile', () => {
  it('takes stories260K whole: its last tensor ends at its last byte', async () => {
    // Data section at 14176; the last tensor, blk.4.ffn_norm.weight (F32 [64]), at 1170944 in it:
    // 14176 + 1170944 + 64 × 4 = 1185376, the published size.
    expect(await checkGgufFile(STORIES, 'stories260K.gguf')).toBe(1185376);
  });

  it('refuses it one byte short, and cut inside its header', async () => {
    const cut = path.join(work, 'cut.gguf');
    copyFileSync(STORIES, cut);
    truncateSync(cut, 1185375);
    await expect(checkGgufFile(cut, 'cut.gguf')).rejects.toThrow(
      'cut.gguf is cut short: 1185375 bytes, where its tensors need 1185376 (an incomplete download)',
    );
    truncateSync(cut, 5000);
    await expect(checkGgufFile(cut, 'cut.gguf')).rejects.toThrow(
      'cut.gguf is not a whole GGUF file: cut inside its header (5000 bytes)',
    );
  });

  it('works out the end of quantised tensors', async () => {
    // Header: 4 + 4 + 8 + 8 = 24; metadata: 8 + 20 ("general.architecture") + 4 + 8 + 5 ("llama") = 45;
    // tensor infos: "a" Q4_K [512, 3]: 8 + 1 + 4 + 16 + 4 + 8 = 41, "b" Q6_K [256, 2]: 41.
    // 24 + 45 + 82 = 151, padded to 160. "a": 144 × 2 × 3 = 864 bytes at 0; "b": 210 × 1 × 2 = 420
    // bytes at 864 (a multiple of 32). Last byte needed: 160 + 864 + 420 = 1444.
    const file = path.join(work, 'quant.gguf');
    const bytes = ggufFile([
      { name: 'a', dims: [512, 3], type: 12, bytes: 864 },
      { name: 'b', dims: [256, 2], type: 14, bytes: 420 },
    ]);
    writeFileSync(file, bytes.subarray(0, 1444));
    expect(await checkGgufFile(file, 'quant.gguf')).toBe(1444);
    writeFileSync(file, bytes.subarray(0, 1443));
    await expect(checkGgufFile(file, 'quant.gguf')).rejects.toThrow('1443 bytes, where its tensors need 1444');
  });

  it('refuses what is not a GGUF', async () => {
    const page = path.join(work, 'page.gguf');
    writeFileSync(page, '<!DOCTYPE html><html><body>Sign in</body></html>');
    await expect(checkGgufFile(page, 'page.gguf')).rejects.toThrow(
      'page.gguf is not a GGUF file (it starts with "<!DO")',
    );
    writeFileSync(page, ggufFile([]));
    await expect(checkGgufFile(page, 'page.gguf')).rejects.toThrow('page.gguf holds no tensors: not a model');
  });
});
