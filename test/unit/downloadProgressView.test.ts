// The embedding model's download in the studio's run view: when the bar shows and what it says,
// from event sequences written out by hand; and a bundle whose log holds download lines imports.
import { describe, expect, it } from 'vitest';
import { checkRunEventLines } from '../../src/main/store/runEventLines.js';
import { bytesOf, downloadAfter } from '../../src/shared/downloadProgress.js';
import type { RunEventMessage } from '../../src/shared/studioApi.js';

const MODEL = 'sentence-transformers/all-mpnet-base-v2';
// Two files of 500 kB and 417.5 MB: 418 000 000 bytes in all.
const TOTAL = 418_000_000;
const download = (
  seq: number,
  file: string,
  fileBytes: number,
  fileTotal: number | null,
  bytes: number,
  total: number | null,
) => ({
  seq,
  ts: 1_700_000_000_000 + seq,
  type: 'download',
  model: MODEL,
  file,
  fileBytes,
  fileTotal,
  bytes,
  total,
});

/** What the view shows after each event, the events applied in order as useRunStream does. */
const shownAfterEach = (events: RunEventMessage[]) => events.map((event) => downloadAfter(event));

describe('the download bar of a run', () => {
  it('shows the latest figures while the bytes are short of the total, and nothing once they reach it', () => {
    const shown = shownAfterEach([
      { seq: 0, ts: 0, type: 'run-started', stage: 'system-prompt', version: '1' },
      download(1, 'config.json', 500_000, 500_000, 500_000, TOTAL),
      download(2, 'onnx/model.onnx', 12_300_000, 417_500_000, 12_800_000, TOTAL),
      download(3, 'onnx/model.onnx', 417_500_000, 417_500_000, TOTAL, TOTAL),
    ]);
    expect(shown).toEqual([
      null,
      { model: MODEL, bytes: 500_000, total: TOTAL },
      { model: MODEL, bytes: 12_800_000, total: TOTAL },
      null,
    ]);
    // The studio's text: 12 800 000 bytes = 12.8 MB of 418.0 MB.
    expect(bytesOf(12_800_000, TOTAL)).toBe('12.8 of 418.0 MB');
  });

  it('hides at the next event of another kind: the first node, or the fallback to BM25 after a failed download', () => {
    expect(
      shownAfterEach([
        download(1, 'onnx/model.onnx', 1_000_000, null, 1_000_000, null),
        { seq: 2, ts: 2, type: 'node', id: 'n0', parentId: null, level: 0, state: 'p', action: 'initial', query: '' },
      ]),
    ).toEqual([{ model: MODEL, bytes: 1_000_000, total: null }, null]);
    expect(
      shownAfterEach([
        download(1, 'onnx/model.onnx', 2_000_000, 417_500_000, 2_500_000, TOTAL),
        {
          seq: 2,
          ts: 2,
          type: 'warning',
          message: 'retrieval: all-mpnet-base-v2 unavailable (connection reset) — BM25 ranks the examples instead',
        },
      ]),
    ).toEqual([{ model: MODEL, bytes: 2_500_000, total: TOTAL }, null]);
  });

  it('shows nothing for a download line it cannot read (negative or missing figures)', () => {
    expect(downloadAfter({ ...download(1, 'f', 1, 2, -5, TOTAL) })).toBeNull();
    expect(downloadAfter({ seq: 1, ts: 1, type: 'download', model: MODEL })).toBeNull();
    expect(
      downloadAfter({ ...download(1, 'f', 1, 2, 10, TOTAL), bytes: '10' } as unknown as RunEventMessage),
    ).toBeNull();
  });

  it('writes the figures in the unit of the larger one, kB below a megabyte, without a total when none is known', () => {
    expect(bytesOf(12_345_678, 418_456_789)).toBe('12.3 of 418.5 MB');
    expect(bytesOf(250_000, 999_999)).toBe('250.0 of 1000.0 kB');
    expect(bytesOf(1_500_000, null)).toBe('1.5 MB');
  });
});

describe('a bundle whose log holds download lines', () => {
  it('is kept, and a download line with a made-up field or a negative count is refused by its line number', () => {
    const lines = [
      { seq: 0, ts: 0, type: 'run-started', stage: 'system-prompt', version: '1' },
      download(1, 'onnx/model.onnx', 12_300_000, 417_500_000, 12_800_000, TOTAL),
      download(2, 'onnx/model.onnx', 1_000, null, 1_000, null),
      { seq: 3, ts: 3, type: 'notice', message: 'the server ignores seeds' },
    ];
    expect(checkRunEventLines(lines, 'bundle')).toHaveLength(4);
    expect(() => checkRunEventLines([lines[0], { ...lines[1], extra: 1 }], 'bundle')).toThrow(/event line 2/);
    expect(() => checkRunEventLines([lines[0], { ...lines[1], bytes: -1 }], 'bundle')).toThrow(/event line 2/);
  });
});
