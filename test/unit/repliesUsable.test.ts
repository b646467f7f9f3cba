// When a level's structured replies say the server does not follow the schema (issue 13): more
// than half of a role's replies unusable after their repair re-ask; the selector, asked once per
// query, needs at least two (one unusable selection falls back to the fixed aspects).
import { describe, expect, it } from 'vitest';
import {
  assertRepliesUsable,
  type LevelReplies,
  RepliesUnusableError,
} from '../../src/main/engine/search/levelFailures.js';

const replies = (role: LevelReplies['role'], asked: number, unusable: number): LevelReplies => ({
  role,
  backend: 'b',
  asked,
  unusable,
  keys: Array.from({ length: unusable }, (_, i) => `k${i}`),
});

describe('assertRepliesUsable', () => {
  it('pauses on most of the judge replies, even the root level’s one', () => {
    expect(() => assertRepliesUsable(0, [replies('judge', 1, 1)])).toThrow(RepliesUnusableError);
    expect(() => assertRepliesUsable(2, [replies('judge', 6, 4)])).toThrow(/in 4 of 6 calls of level 2/);
  });

  it('ranks a level where half or fewer were unusable', () => {
    expect(() => assertRepliesUsable(2, [replies('judge', 6, 3), replies('selector', 2, 1)])).not.toThrow();
  });

  it('lets one unusable selection fall back, but not two of three', () => {
    expect(() => assertRepliesUsable(1, [replies('selector', 1, 1)])).not.toThrow();
    expect(() => assertRepliesUsable(1, [replies('selector', 3, 2)])).toThrow(/the selector's replies/);
  });
});
