import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendScheduler, MAX_RETRY_AFTER_MS, type SchedulerOptions } from '../../src/main/llm/backendScheduler.js';
import { ModelCallError, type ModelErrorKind } from '../../src/plugins/contract.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Records how a promise settled, so a test can check it settled without any time passing. */
function track<T>(promise: Promise<T>): {
  readonly state: 'pending' | 'fulfilled' | 'rejected';
  readonly value: T | undefined;
  readonly error: unknown;
} {
  const result = {
    state: 'pending' as 'pending' | 'fulfilled' | 'rejected',
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  promise.then(
    (value) => {
      result.state = 'fulfilled';
      result.value = value;
    },
    (error: unknown) => {
      result.state = 'rejected';
      result.error = error;
    },
  );
  return result;
}

/** Lets pending promise callbacks run without moving the (fake) clock. */
async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

function scheduler(options: Partial<SchedulerOptions> = {}): BackendScheduler {
  return new BackendScheduler({
    concurrency: 2,
    maxRetries: 3,
    baseDelayMs: 100,
    maxDelayMs: 10_000,
    random: () => 0.5,
    ...options,
  });
}

function expectAborted(error: unknown): void {
  expect(error).toBeInstanceOf(ModelCallError);
  expect((error as ModelCallError).kind).toBe('aborted');
}

describe('BackendScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    // Nothing leaks: every test leaves no timer behind once its calls have settled.
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });

  describe('concurrency', () => {
    it('never exceeds the limit and reaches it under load', async () => {
      const s = scheduler({ concurrency: 3 });
      let running = 0;
      let maxRunning = 0;
      const calls = Array.from({ length: 20 }, (_, i) =>
        s.run(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          expect(s.inFlight).toBeLessThanOrEqual(3);
          await new Promise((resolve) => setTimeout(resolve, 5 + (i % 4)));
          running--;
          return i;
        }),
      );
      await flush();
      expect(s.inFlight).toBe(3);
      expect(s.queued).toBe(17);
      await vi.runAllTimersAsync();
      const results = await Promise.all(calls);
      expect(results.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(results.every((r) => r.retries === 0)).toBe(true);
      expect(maxRunning).toBe(3);
      expect(s.peakInFlight).toBe(3);
      expect(s.inFlight).toBe(0);
      expect(s.queued).toBe(0);
    });

    it('keeps the limit with real timers too', async () => {
      vi.useRealTimers();
      const s = scheduler({ concurrency: 4 });
      let running = 0;
      let maxRunning = 0;
      await Promise.all(
        Array.from({ length: 30 }, () =>
          s.run(async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((resolve) => setTimeout(resolve, 2));
            running--;
          }),
        ),
      );
      expect(maxRunning).toBe(4);
      expect(s.peakInFlight).toBe(4);
      vi.useFakeTimers();
    });

    it('rejects invalid options', () => {
      expect(() => scheduler({ concurrency: 0 })).toThrow(RangeError);
      expect(() => scheduler({ maxRetries: -1 })).toThrow(RangeError);
      expect(() => scheduler({ requestsPerMinute: 0 })).toThrow(RangeError);
    });
  });

  describe('retries', () => {
    it("retries a user plugin's own error by its kind, and keeps a final one final", async () => {
      // A plugin shipped on its own throws its own Error class with a kind (README, "Writing a plugin").
      class PluginError extends Error {
        constructor(
          readonly kind: string,
          readonly retryAfterMs?: number,
        ) {
          super(`plugin says ${kind}`);
        }
      }
      const s = scheduler({ maxDelayMs: 100 });
      let attempts = 0;
      const call = track(
        s.run(async () => {
          attempts += 1;
          if (attempts === 1) throw new PluginError('rate-limit', 700);
          return 'ok';
        }),
      );
      await flush();
      await vi.advanceTimersByTimeAsync(699);
      expect(attempts).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toBe(2);
      await flush();
      expect(call.state).toBe('fulfilled');

      const final = track(
        s.run(async () => {
          throw new PluginError('auth');
        }),
      );
      await flush();
      expect(final.state).toBe('rejected');
      expect((final.error as ModelCallError).kind).toBe('auth');
      expect(final.error).toBeInstanceOf(ModelCallError);
    });

    it('waits out a 429 for its Retry-After, then succeeds without using a retry', async () => {
      const s = scheduler({ maxDelayMs: 100 }); // Retry-After is honored above maxDelayMs
      const startTimes: number[] = [];
      const onRetry = vi.fn();
      const call = track(
        s.run(
          async () => {
            startTimes.push(Date.now());
            if (startTimes.length === 1) throw new ModelCallError('rate-limit', 'HTTP 429', { retryAfterMs: 1_500 });
            return 'ok';
          },
          { onRetry },
        ),
      );
      await flush();
      expect(startTimes).toHaveLength(1);
      expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 1, delayMs: 1_500, overload: true }));
      await vi.advanceTimersByTimeAsync(1_499);
      expect(startTimes).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(startTimes).toHaveLength(2);
      expect(startTimes[1]! - startTimes[0]!).toBeGreaterThanOrEqual(1_500);
      expect(call.state).toBe('fulfilled');
      expect(call.value).toEqual({ value: 'ok', retries: 0 });
    });

    it('caps Retry-After at 10 minutes', async () => {
      const s = scheduler();
      const onRetry = vi.fn();
      let attempts = 0;
      const call = track(
        s.run(
          async () => {
            if (++attempts === 1) throw new ModelCallError('rate-limit', 'HTTP 429', { retryAfterMs: 3_600_000 });
            return 'ok';
          },
          { onRetry },
        ),
      );
      await flush();
      expect(onRetry.mock.calls[0]![0].delayMs).toBe(MAX_RETRY_AFTER_MS);
      await vi.advanceTimersByTimeAsync(MAX_RETRY_AFTER_MS);
      expect(call.state).toBe('fulfilled');
    });

    it('retries 5xx with increasing exponential backoff', async () => {
      const s = scheduler({ baseDelayMs: 100, maxRetries: 3, random: () => 0.5 }); // 0.5 = no jitter
      const delays: number[] = [];
      const startTimes: number[] = [];
      const call = track(
        s.run(
          async () => {
            startTimes.push(Date.now());
            if (startTimes.length <= 3) throw new ModelCallError('server', 'HTTP 503');
            return 42;
          },
          {
            onRetry: ({ attempt, error, delayMs }) => {
              expect(attempt).toBe(delays.length + 1);
              expect(error.kind).toBe('server');
              delays.push(delayMs);
            },
          },
        ),
      );
      await vi.runAllTimersAsync();
      expect(call.value).toEqual({ value: 42, retries: 3 });
      expect(delays).toEqual([100, 200, 400]);
      const gaps = startTimes.slice(1).map((t, i) => t - startTimes[i]!);
      expect(gaps).toEqual([100, 200, 400]);
    });

    it('applies ±20% jitter and caps the backoff at maxDelayMs', async () => {
      const randoms = [0, 0.999999, 0, 0];
      const s = scheduler({ baseDelayMs: 1_000, maxDelayMs: 3_000, maxRetries: 4, random: () => randoms.shift() ?? 0 });
      const delays: number[] = [];
      let attempts = 0;
      const call = track(
        s.run(
          async () => {
            if (++attempts <= 4) throw new ModelCallError('timeout', 'timed out');
            return 'ok';
          },
          { onRetry: ({ delayMs }) => delays.push(delayMs) },
        ),
      );
      await vi.runAllTimersAsync();
      expect(call.state).toBe('fulfilled');
      // 1000 * 0.8; 2000 * ~1.2; 4000 * 0.8 → capped; 8000 * 0.8 → capped
      expect(delays).toEqual([800, 2_400, 3_000, 3_000]);
    });

    it('rethrows the last error with the attempt count once retries are exhausted, keeping its kind', async () => {
      const s = scheduler({ maxRetries: 2 });
      const task = vi.fn(async () => {
        throw new ModelCallError('connection', 'ECONNREFUSED');
      });
      const call = track(s.run(task));
      await vi.runAllTimersAsync();
      expect(task).toHaveBeenCalledTimes(3);
      expect(call.state).toBe('rejected');
      const error = call.error as ModelCallError;
      expect(error).toBeInstanceOf(ModelCallError);
      expect(error.kind).toBe('connection');
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).toContain('3 attempts');
      expect(error.cause).toBeInstanceOf(ModelCallError);
    });

    it.each<ModelErrorKind>(['auth', 'not-found', 'bad-request'])('does not retry %s', async (kind) => {
      const s = scheduler();
      const failure = new ModelCallError(kind, `final: ${kind}`);
      const task = vi.fn(async () => {
        throw failure;
      });
      const onRetry = vi.fn();
      const call = track(s.run(task, { onRetry }));
      await flush();
      expect(call.state).toBe('rejected');
      expect(call.error).toBe(failure);
      expect(task).toHaveBeenCalledTimes(1);
      expect(onRetry).not.toHaveBeenCalled();
    });

    it('does not retry a plain Error (nor a synchronous throw)', async () => {
      const s = scheduler();
      const failure = new Error('bug');
      const task = vi.fn(async () => {
        throw failure;
      });
      const call = track(s.run(task));
      const syncThrow = track(
        s.run(() => {
          throw failure;
        }),
      );
      await flush();
      expect(call.error).toBe(failure);
      expect(syncThrow.error).toBe(failure);
      expect(task).toHaveBeenCalledTimes(1);
      expect(s.inFlight).toBe(0);
    });

    it('releases the slot while waiting to retry; the retry queues again', async () => {
      const s = scheduler({ concurrency: 1 });
      const log: string[] = [];
      let attempts = 0;
      const a = track(
        s.run(async () => {
          attempts++;
          log.push(`a${attempts}`);
          if (attempts === 1) throw new ModelCallError('server', '500', { retryAfterMs: 50 });
          return 'a';
        }),
      );
      await flush();
      expect(s.inFlight).toBe(0); // sleeping, not holding the slot
      const bDone = deferred<string>();
      const b = track(
        s.run(async () => {
          log.push('b');
          return bDone.promise;
        }),
      );
      await flush();
      expect(log).toEqual(['a1', 'b']); // b ran while a waited
      await vi.advanceTimersByTimeAsync(50);
      expect(log).toEqual(['a1', 'b']); // a's retry waits for b's slot
      expect(s.queued).toBe(1);
      bDone.resolve('b');
      await flush();
      expect(log).toEqual(['a1', 'b', 'a2']);
      expect(a.value).toEqual({ value: 'a', retries: 1 });
      expect(b.value).toEqual({ value: 'b', retries: 0 });
      expect(s.peakInFlight).toBe(1);
    });
  });

  describe('cancellation', () => {
    it('rejects at once when the signal is already aborted, without starting the task', async () => {
      const s = scheduler();
      const task = vi.fn(async () => 'never');
      const controller = new AbortController();
      controller.abort();
      const call = track(s.run(task, { signal: controller.signal }));
      await flush();
      expectAborted(call.error);
      expect(task).not.toHaveBeenCalled();
      expect(s.queued).toBe(0);
    });

    it('abort while queued: rejects promptly and the task never starts', async () => {
      const s = scheduler({ concurrency: 1 });
      const blocker = deferred();
      const first = track(s.run(() => blocker.promise));
      const task = vi.fn(async () => 'never');
      const controller = new AbortController();
      const queued = track(s.run(task, { signal: controller.signal }));
      await flush();
      expect(s.queued).toBe(1);
      controller.abort();
      await flush();
      expectAborted(queued.error);
      expect(s.queued).toBe(0);
      blocker.resolve();
      await flush();
      expect(first.state).toBe('fulfilled');
      expect(task).not.toHaveBeenCalled();
      // The queue still works afterwards.
      const after = track(s.run(async () => 'next'));
      await flush();
      expect(after.value).toEqual({ value: 'next', retries: 0 });
    });

    it('abort while running: rejects promptly and the task sees the abort on its signal', async () => {
      const s = scheduler({ concurrency: 1 });
      const controller = new AbortController();
      let seen: AbortSignal | undefined;
      let sawAbortEvent = false;
      const ignoresAbort = deferred<string>();
      const call = track(
        s.run(
          (signal) => {
            seen = signal;
            signal.addEventListener('abort', () => {
              sawAbortEvent = true;
            });
            return ignoresAbort.promise; // a task that does not stop on abort
          },
          { signal: controller.signal },
        ),
      );
      await flush();
      expect(s.inFlight).toBe(1);
      controller.abort();
      await flush();
      expectAborted(call.error);
      expect(seen?.aborted).toBe(true);
      expect(sawAbortEvent).toBe(true);
      expect((seen!.reason as ModelCallError).kind).toBe('aborted');

      // The backend still serves that request, so its slot stays taken until it settles.
      const next = vi.fn(async () => 'next');
      const nextCall = track(s.run(next));
      await flush();
      expect(next).not.toHaveBeenCalled();
      ignoresAbort.resolve('late');
      await flush();
      expect(next).toHaveBeenCalledTimes(1);
      expect(nextCall.value).toEqual({ value: 'next', retries: 0 });
      expect(call.state).toBe('rejected'); // the late result does not resurrect the call
    });

    it('abort while waiting for a retry: rejects promptly and clears the retry timer', async () => {
      const s = scheduler();
      const controller = new AbortController();
      const task = vi.fn(async () => {
        throw new ModelCallError('server', 'HTTP 500', { retryAfterMs: 30_000 });
      });
      const call = track(s.run(task, { signal: controller.signal }));
      await flush();
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await flush();
      expectAborted(call.error);
      expect(vi.getTimerCount()).toBe(0);
      expect(task).toHaveBeenCalledTimes(1);
    });

    it('does not leave listeners on a long-lived signal', async () => {
      const controller = new AbortController();
      const add = vi.spyOn(controller.signal, 'addEventListener');
      const remove = vi.spyOn(controller.signal, 'removeEventListener');
      const s = scheduler();
      await Promise.all(Array.from({ length: 5 }, () => s.run(async () => 1, { signal: controller.signal })));
      expect(remove).toHaveBeenCalledTimes(add.mock.calls.length);
    });
  });

  describe('requestsPerMinute', () => {
    it('limits request starts per window (sliding)', async () => {
      const s = scheduler({ concurrency: 10, requestsPerMinute: 2, rateWindowMs: 1_000 });
      const starts: number[] = [];
      const calls = Array.from({ length: 5 }, (_, i) =>
        s.run(async () => {
          starts.push(Date.now());
          return i;
        }),
      );
      await flush();
      expect(starts).toHaveLength(2);
      const t0 = starts[0]!;
      expect(s.queued).toBe(3);
      await vi.advanceTimersByTimeAsync(999);
      expect(starts).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(starts).toHaveLength(4);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(starts).toHaveLength(5);
      expect(starts.map((t) => t - t0)).toEqual([0, 0, 1_000, 1_000, 2_000]);
      expect((await Promise.all(calls)).map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
    });

    it('defaults to a 60 s window', async () => {
      const s = scheduler({ concurrency: 10, requestsPerMinute: 1 });
      const starts: number[] = [];
      const calls = [s.run(async () => starts.push(Date.now())), s.run(async () => starts.push(Date.now()))];
      await flush();
      expect(starts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(starts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(starts).toHaveLength(2);
      await Promise.all(calls);
    });

    it('abort while waiting for a rate token rejects promptly and leaves no timer', async () => {
      const s = scheduler({ concurrency: 10, requestsPerMinute: 1, rateWindowMs: 1_000 });
      await s.run(async () => 'first');
      const controller = new AbortController();
      const task = vi.fn(async () => 'never');
      const call = track(s.run(task, { signal: controller.signal }));
      await flush();
      expect(s.queued).toBe(1);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await flush();
      expectAborted(call.error);
      expect(s.queued).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
      expect(task).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(task).not.toHaveBeenCalled();
    });
  });
});

describe('BackendScheduler under overload, shared by several callers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits out 429s and 503s without using up the retry budget, which real errors still use', async () => {
    const s = scheduler({ maxRetries: 1 });
    const onRetry = vi.fn();
    const failures: ModelErrorKind[] = ['overloaded', 'rate-limit', 'overloaded', 'server', 'overloaded'];
    let attempts = 0;
    const call = track(
      s.run(
        async () => {
          const kind = failures[attempts++];
          if (kind) throw new ModelCallError(kind, kind, { retryAfterMs: 1_000 });
          return 'ok';
        },
        { onRetry },
      ),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    // Five failures, one retry allowed: only the 'server' error used it.
    expect(call.value).toEqual({ value: 'ok', retries: 1 });
    expect(onRetry.mock.calls.map(([info]) => [info.error.kind, info.overload])).toEqual([
      ['overloaded', true],
      ['rate-limit', true],
      ['overloaded', true],
      ['server', false],
      ['overloaded', true],
    ]);
    expect(s.activity.waitingOnOverload).toBe(0);
  });

  it('counts calls waiting on overload while they sleep, and fails one that waited longer than allowed', async () => {
    const s = scheduler({ maxOverloadWaitMs: 2_500 });
    const call = track(
      s.run(async () => {
        throw new ModelCallError('overloaded', 'HTTP 503', { retryAfterMs: 1_000 });
      }),
    );
    await flush();
    expect(s.activity).toMatchObject({ waitingOnOverload: 1, inFlight: 0 });
    await vi.advanceTimersByTimeAsync(2_000);
    // A third wait would make 3 s in all, over 2.5 s: the call fails, as overloaded, saying how long it waited.
    expect(call.state).toBe('rejected');
    expect(call.error).toMatchObject({ kind: 'overloaded' });
    expect((call.error as Error).message).toMatch(/still full after waiting 2 s in all/);
    expect(s.activity.waitingOnOverload).toBe(0);
  });

  it("lowers an 'auto' limit below the load a 503 refused", async () => {
    const s = scheduler({ concurrency: 'auto', declared: { limit: 4, source: 'test' } });
    const gate = deferred<string>();
    let refused = false;
    const calls = Array.from({ length: 4 }, (_, i) =>
      track(
        s.run(async () => {
          if (i === 3 && !refused) {
            refused = true;
            throw new ModelCallError('overloaded', 'HTTP 503', { retryAfterMs: 10 });
          }
          return gate.promise;
        }),
      ),
    );
    await flush();
    expect(s.activity).toMatchObject({ limit: 3, inFlight: 3, waitingOnOverload: 1 });
    expect(s.activity.reason).toMatch(/refused a call \(429\/503\) at 4 in flight/);
    await vi.advanceTimersByTimeAsync(10);
    expect(s.activity).toMatchObject({ inFlight: 3, queued: 1 }); // the limit holds the retry back
    gate.resolve('done');
    await flush();
    expect(calls.map((c) => c.value?.value)).toEqual(['done', 'done', 'done', 'done']);
    expect(s.peakInFlight).toBe(4);
  });

  it('serves the lanes in turn, so a caller with a long queue does not starve another', async () => {
    const s = scheduler({ concurrency: 1 });
    const a = s.lane('run:a');
    const b = s.lane('run:b');
    const order: string[] = [];
    const work = (name: string) => async () => {
      order.push(name);
      await Promise.resolve();
      return name;
    };
    const all = [...['a1', 'a2', 'a3', 'a4'].map((n) => a.run(work(n))), ...['b1', 'b2'].map((n) => b.run(work(n)))];
    await flush();
    await Promise.all(all);
    expect(order).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'a4']);
  });

  it("gives each lane its own counts beside the connection's", async () => {
    const s = scheduler({ concurrency: 1 });
    const gate = deferred<string>();
    const a = s.lane('run:a');
    const b = s.lane('run:b');
    const first = a.run(() => gate.promise);
    const second = b.run(() => gate.promise);
    await flush();
    expect(a.activity).toMatchObject({ inFlight: 1, queued: 1, lane: { inFlight: 1, queued: 0 } });
    expect(b.activity.lane).toEqual({ inFlight: 0, queued: 1, waitingOnOverload: 0 });
    gate.resolve('x');
    await Promise.all([first, second]);
    expect(b.activity.lane).toEqual({ inFlight: 0, queued: 0, waitingOnOverload: 0 });
  });

  it("adds no listener per call to the caller's signal (no MaxListenersExceededWarning)", async () => {
    vi.useRealTimers();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const s = scheduler({ concurrency: 64 });
      const controller = new AbortController();
      await Promise.all(
        Array.from({ length: 64 }, () =>
          s.run(() => new Promise((resolve) => setTimeout(() => resolve('ok'), 5)), { signal: controller.signal }),
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
