import { describe, expect, it } from 'vitest';
import { BackendScheduler } from '../../src/main/llm/backendScheduler.js';
import { acquireScheduler, connectionActivity } from '../../src/main/llm/schedulerPool.js';

const create = () => new BackendScheduler({ concurrency: 2, maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 });

describe('one scheduler per connection in a process', () => {
  it('is shared while something uses it, and forgotten when the last user lets it go', async () => {
    const first = acquireScheduler('connection:local', 'local', create);
    const second = acquireScheduler('connection:local', 'local', create);
    const other = acquireScheduler('connection:remote', 'remote', create);
    expect(second.scheduler).toBe(first.scheduler);
    expect(other.scheduler).not.toBe(first.scheduler);

    let release!: () => void;
    const busy = first.scheduler.lane('run:1').run(() => new Promise<void>((resolve) => (release = resolve)));
    expect(connectionActivity()).toEqual([
      expect.objectContaining({ connection: 'local', users: 2, inFlight: 1, limit: 2, mode: 'fixed' }),
      expect.objectContaining({ connection: 'remote', users: 1, inFlight: 0 }),
    ]);
    release();
    await busy;

    first.release();
    first.release(); // idempotent: still one user left
    expect(acquireScheduler('connection:local', 'local', create).scheduler).toBe(first.scheduler);
    second.release();
    other.release();
    expect(connectionActivity().map((c) => [c.connection, c.users])).toEqual([['local', 1]]);
  });
});
