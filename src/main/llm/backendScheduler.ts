// The per-connection scheduler: every model call to one backend goes through one instance,
// shared by every run and experiment of this process that uses the connection (schedulerPool.ts).
// It bounds the requests in flight, optionally bounds the request starts per minute (sliding
// window), waits out overload (429/503) without using up retries, retries real errors with
// exponential backoff or the server's Retry-After, and turns cancellation into a prompt
// ModelCallError('aborted').
//
// The bound is a number the config pins, or 'auto': a ConcurrencyController finds the server's
// capacity (concurrencyController.ts). Callers come in lanes (a run, an experiment); a free slot
// goes to the lanes in turn, so none starves while another has a long queue. p-queue has
// priorities but no such round-robin across callers, hence the small dispatcher here.
//
// Slot accounting: a slot is held only while a task runs (or while its start waits for a
// rate-limit token). It is released while a failed call waits; the retry queues again in its
// lane. A task that ignores its abort signal keeps its slot until it really settles (the caller's
// promise rejects at once all the same), so the backend never sees more than the limit at once.
//
// No timers outlive the work: waits and the rate-limit timer are cleared when the last waiter
// leaves, so a CLI process exits as soon as its calls have settled.

import { asModelCallError, ModelCallError } from '../../plugins/contract.js';
import { type ConcurrencyController, createController, type LimitChange } from './concurrencyController.js';
import { SlidingWindowLimiter } from './slidingWindowLimiter.js';

export type { LimitChange } from './concurrencyController.js';

export interface SchedulerOptions {
  /** Max requests in flight, or 'auto' to find the server's capacity. */
  concurrency: number | 'auto';
  /** What the backend says it serves at once (a plugin's maxParallel, a server's slots) and who says so. */
  declared?: { limit: number; source: string };
  /** Retries after the first attempt, for retriable errors other than overload. */
  maxRetries: number;
  /** Exponential backoff base: delay = base * 2^(attempt-1), with ±20% jitter. */
  baseDelayMs: number;
  /** Cap for the backoff (not for Retry-After). */
  maxDelayMs: number;
  /** Optional rate limit: request starts per 60 s (sliding window). */
  requestsPerMinute?: number;
  /** How long one call may wait out overload (429/503) in all before it fails (default 10 min). */
  maxOverloadWaitMs?: number;
  /** Injectable for deterministic jitter in tests; returns [0, 1). */
  random?: () => number;
  /**
   * @internal For tests: the length of the rate-limit window in ms (default 60 000).
   * `requestsPerMinute` then means "starts per window".
   */
  rateWindowMs?: number;
}

export interface RetryInfo {
  /** The retry about to happen: 1 for the first retry (overload waits are numbered apart). */
  attempt: number;
  /** The error that caused the wait. */
  error: ModelCallError;
  /** How long the scheduler waits before queueing the call again. */
  delayMs: number;
  /** A wait on a full server (429/503): it uses up no retry. */
  overload: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called before each wait. An exception thrown here fails the call. */
  onRetry?: (info: RetryInfo) => void;
  /** What kind of call this is (a role): latencies are compared within a kind only. */
  kind?: string;
}

/** What the scheduler is doing now, for the studio's connection view and the progress line. */
export interface SchedulerActivity {
  mode: 'auto' | 'fixed';
  limit: number;
  /** Why the limit is what it is. */
  reason: string;
  inFlight: number;
  /** Calls waiting for a slot. */
  queued: number;
  /** Calls sleeping on an overloaded server (429/503) before they ask again. */
  waitingOnOverload: number;
  peakInFlight: number;
  /** The same counts for this lane's calls alone (a lane's view; the scheduler's own counts its default lane). */
  lane: LaneCounts;
}

export interface LaneCounts {
  inFlight: number;
  queued: number;
  waitingOnOverload: number;
}

/** One caller's view of a shared scheduler: its calls queue in their own lane. */
export interface SchedulerLane {
  run<T>(task: (signal: AbortSignal) => Promise<T>, options?: RunOptions): Promise<{ value: T; retries: number }>;
  readonly activity: SchedulerActivity;
  /** Called with each change of the limit (and at once with the current one); returns an unsubscribe. */
  onLimitChange(listener: (change: LimitChange) => void): () => void;
}

/** The longest Retry-After the scheduler honors (a server asking for more gets 10 minutes). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;
const DEFAULT_RATE_WINDOW_MS = 60_000;
const DEFAULT_MAX_OVERLOAD_WAIT_MS = 10 * 60_000;
const JITTER = 0.2;
const DEFAULT_LANE = '';

interface Job {
  start(): void;
}

export class BackendScheduler implements SchedulerLane {
  readonly #controller: ConcurrencyController;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxOverloadWaitMs: number;
  readonly #random: () => number;
  readonly #limiter: SlidingWindowLimiter | undefined;
  /** Each lane's waiting jobs and when it was last served (a count of serves). */
  readonly #lanes = new Map<string, { queue: Job[]; served: number }>();
  readonly #laneCounts = new Map<string, LaneCounts>();
  readonly #lastServed = new Map<string, number>();
  #serves = 0;
  /** Slots taken: tasks running, and jobs holding a slot while they wait for a rate token. */
  #held = 0;
  #inFlight = 0;
  #queued = 0;
  #waitingOnOverload = 0;
  #peakInFlight = 0;

  constructor(options: SchedulerOptions) {
    const { concurrency, maxRetries, baseDelayMs, maxDelayMs, requestsPerMinute } = options;
    if (concurrency !== 'auto' && (!Number.isInteger(concurrency) || concurrency < 1)) {
      throw new RangeError(`concurrency must be 'auto' or an integer >= 1, got ${concurrency}`);
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
    this.#controller = createController(concurrency, options.declared);
    this.#controller.onChange(() => this.#pump());
    this.#maxRetries = maxRetries;
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = maxDelayMs;
    this.#maxOverloadWaitMs = options.maxOverloadWaitMs ?? DEFAULT_MAX_OVERLOAD_WAIT_MS;
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

  get activity(): SchedulerActivity {
    return this.#activity(DEFAULT_LANE);
  }

  #activity(lane: string): SchedulerActivity {
    const { limit, reason, mode } = this.#controller.current;
    return {
      mode,
      limit,
      reason,
      inFlight: this.#inFlight,
      queued: this.#queued,
      waitingOnOverload: this.#waitingOnOverload,
      peakInFlight: this.#peakInFlight,
      lane: { ...(this.#laneCounts.get(lane) ?? { inFlight: 0, queued: 0, waitingOnOverload: 0 }) },
    };
  }

  /** Adds `delta` to one of a lane's counts (a lane without calls is forgotten). */
  #count(lane: string, field: keyof LaneCounts, delta: number): void {
    let counts = this.#laneCounts.get(lane);
    if (!counts) {
      counts = { inFlight: 0, queued: 0, waitingOnOverload: 0 };
      this.#laneCounts.set(lane, counts);
    }
    counts[field] += delta;
    if (counts.inFlight === 0 && counts.queued === 0 && counts.waitingOnOverload === 0) {
      this.#laneCounts.delete(lane);
      this.#lastServed.delete(lane);
    }
  }

  onLimitChange(listener: (change: LimitChange) => void): () => void {
    return this.#controller.onChange(listener);
  }

  /** A lane of its own for one caller (a run, an experiment), served in turn with the others. */
  lane(consumer: string): SchedulerLane {
    const activity = (): SchedulerActivity => this.#activity(consumer);
    return {
      run: (task, options) => this.#run(task, options ?? {}, consumer),
      get activity() {
        return activity();
      },
      onLimitChange: (listener) => this.onLimitChange(listener),
    };
  }

  /**
   * Runs `task` within the backend's limits, waiting out overload and retrying retriable errors.
   * `task` receives a signal that aborts when the caller's signal does.
   */
  run<T>(task: (signal: AbortSignal) => Promise<T>, options: RunOptions = {}): Promise<{ value: T; retries: number }> {
    return this.#run(task, options, DEFAULT_LANE);
  }

  async #run<T>(
    task: (signal: AbortSignal) => Promise<T>,
    options: RunOptions,
    lane: string,
  ): Promise<{ value: T; retries: number }> {
    const { signal, onRetry, kind = '' } = options;
    if (signal?.aborted) throw abortedError(signal.reason);
    // A signal of the call's own that follows the caller's. AbortSignal.any holds the caller's weakly
    // and adds no listener to it, so a run's one signal does not pile up one listener per call
    // (Node's MaxListenersExceededWarning); the task sees an 'aborted' ModelCallError as the reason.
    const aborted = (): ModelCallError => abortedError(signal?.reason);
    const controller = new AbortController();
    const follows = signal && AbortSignal.any([signal]); // referenced below, so it lives as long as the call
    follows?.addEventListener('abort', () => controller.abort(aborted()), { once: true });
    const callSignal = controller.signal;
    let retries = 0;
    let overloads = 0;
    let overloadWaitedMs = 0;
    for (;;) {
      try {
        const value = await this.#attempt(task, callSignal, lane, kind);
        return { value, retries };
      } catch (error) {
        if (callSignal.aborted) throw aborted();
        const failure = asModelCallError(error);
        if (!failure?.retriable) throw failure ?? error;
        if (failure.overload) {
          const delayMs = this.#overloadDelay(failure, ++overloads);
          if (overloadWaitedMs + delayMs > this.#maxOverloadWaitMs) throw overloadedTooLong(failure, overloadWaitedMs);
          overloadWaitedMs += delayMs;
          onRetry?.({ attempt: overloads, error: failure, delayMs, overload: true });
          this.#waitingOnOverload++;
          this.#count(lane, 'waitingOnOverload', 1);
          try {
            await sleep(delayMs, callSignal).catch(() => {
              throw aborted();
            });
          } finally {
            this.#waitingOnOverload--;
            this.#count(lane, 'waitingOnOverload', -1);
          }
          continue;
        }
        if (retries >= this.#maxRetries || follows?.aborted) throw exhaustedError(failure, retries + 1);
        retries++;
        const delayMs = this.#retryDelay(failure, retries);
        onRetry?.({ attempt: retries, error: failure, delayMs, overload: false });
        await sleep(delayMs, callSignal).catch(() => {
          throw aborted();
        });
      }
    }
  }

  /** Retry-After when the server gave one (capped at 10 min), else capped exponential backoff with jitter. */
  #retryDelay(error: ModelCallError, attempt: number): number {
    const retryAfter = serverDelay(error);
    if (retryAfter !== undefined) return retryAfter;
    const jitter = 1 + (this.#random() * 2 - 1) * JITTER;
    const delay = this.#baseDelayMs * 2 ** (attempt - 1) * jitter;
    return Math.round(Math.min(this.#maxDelayMs, Math.max(0, delay)));
  }

  /** Retry-After when given; else a backoff that starts short (the limit was just lowered) and grows. */
  #overloadDelay(error: ModelCallError, attempt: number): number {
    return serverDelay(error) ?? this.#retryDelay(error, Math.min(attempt, 8));
  }

  /** One attempt: wait for a slot in the lane (and a rate token), run the task, release the slot when it settles. */
  #attempt<T>(task: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, lane: string, kind: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let inLane = true;
      let waiting = true; // counted in #queued: in its lane, or holding a slot while it waits for a rate token
      const stopWaiting = (): void => {
        if (waiting) {
          waiting = false;
          this.#queued--;
          this.#count(lane, 'queued', -1);
        }
      };
      const onAbort = (): void => {
        if (inLane) this.#dequeue(lane, job);
        stopWaiting();
        reject(signal.reason);
      };
      const run = async (): Promise<void> => {
        inLane = false;
        this.#held++;
        try {
          if (this.#limiter) {
            try {
              await this.#limiter.acquire(signal);
            } catch {
              return; // aborted while waiting for a token; onAbort already rejected
            }
          }
          this.#inFlight++;
          this.#count(lane, 'inFlight', 1); // before the lane stops waiting, so it never looks idle between the two
          stopWaiting();
          if (this.#inFlight > this.#peakInFlight) this.#peakInFlight = this.#inFlight;
          const load = this.#inFlight;
          const demand = this.#held + this.#queued;
          const started = performance.now();
          try {
            const value = await task(signal);
            this.#controller.sample({ kind, latencyMs: performance.now() - started, load, demand });
            resolve(value);
          } catch (error) {
            if (asModelCallError(error)?.overload) this.#controller.overloaded({ load });
            reject(error);
          } finally {
            this.#inFlight--;
            this.#count(lane, 'inFlight', -1);
          }
        } finally {
          this.#held--;
          signal.removeEventListener('abort', onAbort);
          this.#pump();
        }
      };
      const job: Job = { start: () => void run() };
      this.#queued++;
      this.#count(lane, 'queued', 1);
      signal.addEventListener('abort', onAbort, { once: true });
      let waitingJobs = this.#lanes.get(lane);
      if (!waitingJobs) {
        // A lane keeps its turn while it has calls in flight; an idle one returns first in line.
        waitingJobs = { queue: [], served: this.#lastServed.get(lane) ?? 0 };
        this.#lanes.set(lane, waitingJobs);
      }
      waitingJobs.queue.push(job);
      this.#pump();
    });
  }

  /** Starts waiting jobs while slots are free, taking the lanes in turn. */
  #pump(): void {
    while (this.#held < this.#controller.current.limit) {
      const job = this.#nextJob();
      if (!job) return;
      job.start();
    }
  }

  /** The next job of the lane served least recently (a lane new to the queue first). */
  #nextJob(): Job | undefined {
    let pick: { queue: Job[]; served: number } | undefined;
    for (const lane of this.#lanes.values()) if (!pick || lane.served < pick.served) pick = lane;
    if (!pick) return undefined;
    pick.served = ++this.#serves;
    const job = pick.queue.shift()!;
    for (const [name, lane] of this.#lanes) {
      if (lane === pick) this.#lastServed.set(name, lane.served);
      if (lane.queue.length === 0) this.#lanes.delete(name);
    }
    return job;
  }

  #dequeue(lane: string, job: Job): void {
    const queue = this.#lanes.get(lane)?.queue;
    const index = queue?.indexOf(job) ?? -1;
    if (index >= 0) queue!.splice(index, 1);
    if (queue?.length === 0) this.#lanes.delete(lane);
  }
}

function serverDelay(error: ModelCallError): number | undefined {
  const retryAfter = error.retryAfterMs;
  if (retryAfter === undefined || !Number.isFinite(retryAfter)) return undefined;
  return Math.min(Math.max(0, retryAfter), MAX_RETRY_AFTER_MS);
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

function overloadedTooLong(error: ModelCallError, waitedMs: number): ModelCallError {
  return new ModelCallError(
    error.kind,
    `${error.message} (still full after waiting ${Math.round(waitedMs / 1000)} s in all)`,
    { retryAfterMs: error.retryAfterMs, cause: error },
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
