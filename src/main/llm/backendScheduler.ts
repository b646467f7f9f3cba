// The per-backend scheduler: every model call of one backend goes through one instance.
// It bounds the requests in flight (p-queue), optionally bounds the request starts per
// minute (sliding window), retries retriable ModelCallErrors with exponential backoff or the
// server's Retry-After, and turns cancellation into a prompt ModelCallError('aborted').
//
// Slot accounting: a slot is held only while a task runs (or while its start waits for a
// rate-limit token). It is released while a failed call waits to retry; the retry queues
// again behind the calls that arrived meanwhile. A task that ignores its abort signal keeps
// its slot until it really settles (the caller's promise rejects at once all the same), so
// the backend never sees more than `concurrency` requests at once.
//
// No timers outlive the work: the retry wait and the rate-limit timer are cleared when the
// last waiter leaves, so a CLI process exits as soon as its calls have settled.

import PQueue from 'p-queue';
import { asModelCallError, ModelCallError } from '../../plugins/contract.js';

export interface SchedulerOptions {
  /** Max requests in flight to this backend. */
  concurrency: number;
  /** Retries after the first attempt, for retriable ModelCallErrors only. */
  maxRetries: number;
  /** Exponential backoff base: delay = base * 2^(attempt-1), with ±20% jitter. */
  baseDelayMs: number;
  /** Cap for the backoff (not for Retry-After). */
  maxDelayMs: number;
  /** Optional rate limit: request starts per 60 s (sliding window). */
  requestsPerMinute?: number;
  /** Injectable for deterministic jitter in tests; returns [0, 1). */
  random?: () => number;
  /**
   * @internal For tests: the length of the rate-limit window in ms (default 60 000).
   * `requestsPerMinute` then means "starts per window".
   */
  rateWindowMs?: number;
}

export interface RetryInfo {
  /** The retry about to happen: 1 for the first retry. */
  attempt: number;
  /** The error that caused the retry. */
  error: ModelCallError;
  /** How long the scheduler waits before re-queueing the call. */
  delayMs: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called before each retry wait. An exception thrown here fails the call. */
  onRetry?: (info: RetryInfo) => void;
}

/** The longest Retry-After the scheduler honors (a server asking for more gets 10 minutes). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;
const DEFAULT_RATE_WINDOW_MS = 60_000;
const JITTER = 0.2;

export class BackendScheduler {
  readonly #queue: PQueue;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;
  readonly #limiter: SlidingWindowLimiter | undefined;
  #inFlight = 0;
  #queued = 0;
  #peakInFlight = 0;

  constructor(options: SchedulerOptions) {
    const { concurrency, maxRetries, baseDelayMs, maxDelayMs, requestsPerMinute } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    }
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new RangeError(`maxRetries must be an integer >= 0, got ${maxRetries}`);
    }
    if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) {
      throw new RangeError(`baseDelayMs must be a finite number >= 0, got ${baseDelayMs}`);
    }
    if (!(maxDelayMs >= 0)) {
      throw new RangeError(`maxDelayMs must be a number >= 0, got ${maxDelayMs}`);
    }
    this.#queue = new PQueue({ concurrency });
    this.#maxRetries = maxRetries;
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = maxDelayMs;
    this.#random = options.random ?? Math.random;
    if (requestsPerMinute !== undefined) {
      if (!Number.isInteger(requestsPerMinute) || requestsPerMinute < 1) {
        throw new RangeError(`requestsPerMinute must be an integer >= 1, got ${requestsPerMinute}`);
      }
      const windowMs = options.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS;
      if (!Number.isFinite(windowMs) || windowMs <= 0) {
        throw new RangeError(`rateWindowMs must be a finite number > 0, got ${windowMs}`);
      }
      this.#limiter = new SlidingWindowLimiter(requestsPerMinute, windowMs);
    }
  }

  /** Tasks running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Calls waiting for a slot (or for a rate-limit token); calls sleeping before a retry are not counted. */
  get queued(): number {
    return this.#queued;
  }

  /** The highest `inFlight` ever seen. */
  get peakInFlight(): number {
    return this.#peakInFlight;
  }

  /**
   * Runs `task` within the backend's limits, retrying retriable ModelCallErrors.
   * `task` receives a signal that aborts when the caller's signal does.
   */
  async run<T>(
    task: (signal: AbortSignal) => Promise<T>,
    options: RunOptions = {},
  ): Promise<{ value: T; retries: number }> {
    const { signal, onRetry } = options;
    if (signal?.aborted) throw abortedError(signal.reason);

    // One controller per call: the task's signal, the queue wait and the retry wait all follow it.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(abortedError(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let retries = 0;
      for (;;) {
        try {
          const value = await this.#attempt(task, controller.signal);
          return { value, retries };
        } catch (error) {
          if (controller.signal.aborted) throw controller.signal.reason;
          const failure = asModelCallError(error);
          if (!failure?.retriable) throw failure ?? error;
          if (retries >= this.#maxRetries) throw exhaustedError(failure, retries + 1);
          retries++;
          const delayMs = this.#retryDelay(failure, retries);
          onRetry?.({ attempt: retries, error: failure, delayMs });
          await sleep(delayMs, controller.signal);
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Retry-After when the server gave one (capped at 10 min), else capped exponential backoff with jitter. */
  #retryDelay(error: ModelCallError, attempt: number): number {
    const retryAfter = error.retryAfterMs;
    if (retryAfter !== undefined && Number.isFinite(retryAfter)) {
      return Math.min(Math.max(0, retryAfter), MAX_RETRY_AFTER_MS);
    }
    const jitter = 1 + (this.#random() * 2 - 1) * JITTER;
    const delay = this.#baseDelayMs * 2 ** (attempt - 1) * jitter;
    return Math.round(Math.min(this.#maxDelayMs, Math.max(0, delay)));
  }

  /** One attempt: wait for a slot (and a rate token), run the task, release the slot when it settles. */
  #attempt<T>(task: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let waiting = true; // counted in #queued
      const stopWaiting = (): void => {
        if (waiting) {
          waiting = false;
          this.#queued--;
        }
      };
      const onAbort = (): void => {
        stopWaiting();
        reject(signal.reason);
      };
      this.#queued++;
      signal.addEventListener('abort', onAbort, { once: true });

      const job = async (): Promise<void> => {
        // Aborted while queued: give the slot back without starting the task.
        if (signal.aborted) return;
        if (this.#limiter) {
          try {
            await this.#limiter.acquire(signal);
          } catch {
            return; // aborted while waiting for a token; onAbort already rejected
          }
        }
        stopWaiting();
        this.#inFlight++;
        if (this.#inFlight > this.#peakInFlight) this.#peakInFlight = this.#inFlight;
        try {
          resolve(await task(signal));
        } catch (error) {
          reject(error);
        } finally {
          this.#inFlight--;
          signal.removeEventListener('abort', onAbort);
        }
      };
      // The job never rejects; the catch only keeps a p-queue surprise from going unhandled.
      this.#queue.add(job).catch(reject);
    });
  }
}

function abortedError(reason: unknown): ModelCallError {
  return new ModelCallError('aborted', 'The model call was aborted', { cause: reason });
}

function exhaustedError(error: ModelCallError, attempts: number): ModelCallError {
  return new ModelCallError(
    error.kind,
    `${error.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
    {
      retryAfterMs: error.retryAfterMs,
      cause: error,
    },
  );
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts (and clears the timer). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface Waiter {
  grant(): void;
}

/**
 * At most `limit` grants in any window of `windowMs` (a log of grant times). Waiters are served
 * in FIFO order by a single timer that exists only while someone waits.
 */
class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #grants: number[] = []; // ascending times of the grants still inside the window
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#waiters.length === 0 && this.#tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        if (this.#waiters.length === 0) this.#clearTimer();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  #tryTake(): boolean {
    const now = performance.now();
    while (this.#grants.length > 0 && this.#grants[0]! <= now - this.#windowMs) this.#grants.shift();
    if (this.#grants.length >= this.#limit) return false;
    this.#grants.push(now);
    return true;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waiters.length === 0) return;
    const oldest = this.#grants[0] ?? performance.now();
    // At least 1 ms so a timer that fires a hair early cannot spin.
    const delay = Math.max(1, Math.ceil(oldest + this.#windowMs - performance.now()));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, delay);
  }

  #drain(): void {
    while (this.#waiters.length > 0 && this.#tryTake()) this.#waiters.shift()!.grant();
    this.#schedule();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}
