// Time left as the CLI and the studio print it: rounded up to the second, seconds dropped from ten minutes on.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/shared/duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [-500, '0 s'],
    [1, '1 s'], // rounded up: "0 s" only when nothing is left
    [59_001, '1 min'], // 60 s
    [80_000, '1 min 20 s'],
    [599_000, '9 min 59 s'],
    [600_000, '10 min'],
    [3_599_000, '59 min'], // 59 min 59 s, seconds dropped
    [3_600_000, '1 h 00 min'],
    [2 * 3_600_000 + 5 * 60_000 + 30_000, '2 h 05 min'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
