// How many requests a backend gets at once. A pinned number stays as it is (lowered to what the
// server declares it serves). 'auto' is an AIMD controller with a latency gradient, as TCP's
// congestion control and Netflix's concurrency-limits do it:
// - it starts from what the server declares (llama.cpp's slots, a plugin's maxParallel), else at 2;
// - after each round (as many finished calls as the limit) whose calls were kept waiting for a slot
//   and whose latency stayed flat, it adds one: a server that queues shows growing latency as soon
//   as one request too many is open (Little's law: latency grows by inFlight/slots), so the limit
//   overshoots the server's capacity by one at most;
// - latency grown with load takes one away; a 429/503 sets it just below the load the server
//   refused, and holds it there for a while before it probes upward again;
// - it never rises while the search has nothing waiting (never above what the search can use).
// Latency is compared within a kind of call (a role): a judge's reply is longer than a selector's.

export interface LimitChange {
  mode: 'auto' | 'fixed';
  limit: number;
  /** Why the limit is what it is, in words for the run log and the studio. */
  reason: string;
}

export interface CallSample {
  kind: string;
  latencyMs: number;
  /** Requests in flight when the call started (itself included). */
  load: number;
  /** Calls that wanted a slot when it started: those in flight and those queued. */
  demand: number;
}

export interface ConcurrencyController {
  readonly current: LimitChange;
  /** Calls `listener` with the current limit at once, then with each change; returns an unsubscribe. */
  onChange(listener: (change: LimitChange) => void): () => void;
  sample(sample: CallSample): void;
  /** The server answered 429/503 to a call started at this load. */
  overloaded(at: { load: number }): void;
}

/** The most 'auto' ever asks of a server that declares nothing (the config's own upper bound). */
export const AUTO_CEILING = 256;
const AUTO_START = 2;
/** Rounds a limit refused with 429/503 is held before 'auto' probes above it again. */
const HOLD_ROUNDS = 20;
/** Samples of a kind its fastest latency is taken over (so the baseline follows a server that changes). */
const BASELINE_WINDOW = 200;

export function createController(
  concurrency: number | 'auto',
  declared?: { limit: number; source: string },
): ConcurrencyController {
  if (concurrency !== 'auto') {
    const limit = declared ? Math.min(concurrency, declared.limit) : concurrency;
    const reason =
      limit < concurrency
        ? `pinned at ${concurrency} by the config, lowered to ${limit}: ${declared!.source} says the server serves ${limit} at a time`
        : `pinned at ${limit} by the config`;
    return fixedController({ mode: 'fixed', limit, reason });
  }
  return new AimdController(declared);
}

function fixedController(change: LimitChange): ConcurrencyController {
  return {
    current: change,
    onChange(listener) {
      listener(change);
      return () => undefined;
    },
    sample: () => undefined,
    overloaded: () => undefined,
  };
}

class AimdController implements ConcurrencyController {
  current: LimitChange;
  readonly #ceiling: number;
  readonly #listeners = new Set<(change: LimitChange) => void>();
  readonly #latencies = new Map<string, number[]>();
  #round: number[] = [];
  #queuedInRound = false;
  /** No probing above this until #holdRounds rounds have passed. */
  #refusedAt = Number.POSITIVE_INFINITY;
  #holdRounds = 0;

  constructor(declared?: { limit: number; source: string }) {
    this.#ceiling = declared?.limit ?? AUTO_CEILING;
    this.current = declared
      ? {
          mode: 'auto',
          limit: declared.limit,
          reason: `${declared.source} says the server serves ${declared.limit} at a time`,
        }
      : { mode: 'auto', limit: AUTO_START, reason: `the server declares no capacity: probing from ${AUTO_START}` };
  }

  onChange(listener: (change: LimitChange) => void): () => void {
    this.#listeners.add(listener);
    listener(this.current);
    return () => this.#listeners.delete(listener);
  }

  sample({ kind, latencyMs, load, demand }: CallSample): void {
    const ratio = this.#ratio(kind, latencyMs);
    // A call started under an older, higher limit says nothing about this one.
    if (load > this.current.limit) return;
    if (ratio !== undefined) this.#round.push(ratio);
    if (demand > this.current.limit) this.#queuedInRound = true;
    if (this.#round.length < this.current.limit) return;

    const limit = this.current.limit;
    const growth = median(this.#round);
    const queued = this.#queuedInRound;
    this.#round = [];
    this.#queuedInRound = false;
    if (this.#holdRounds > 0) this.#holdRounds--;
    else this.#refusedAt = Number.POSITIVE_INFINITY;

    if (growth > congestedAbove(limit) && limit > 1) {
      this.#set(limit - 1, `latency grew ${percent(growth)} at ${limit} in flight: lowered to ${limit - 1}`);
    } else if (queued && limit < this.#ceiling && limit + 1 < this.#refusedAt) {
      this.#set(limit + 1, `latency flat at ${limit} in flight with calls waiting: raised to ${limit + 1}`);
    }
  }

  overloaded({ load }: { load: number }): void {
    const limit = Math.max(1, Math.min(this.current.limit, load - 1));
    this.#refusedAt = Math.min(this.#refusedAt, load);
    this.#holdRounds = HOLD_ROUNDS;
    this.#round = [];
    this.#queuedInRound = false;
    if (limit < this.current.limit)
      this.#set(limit, `the server refused a call (429/503) at ${load} in flight: lowered to ${limit}`);
  }

  /** Latency over the fastest of its kind lately; undefined for a kind's first call (no baseline yet). */
  #ratio(kind: string, latencyMs: number): number | undefined {
    let window = this.#latencies.get(kind);
    if (!window) {
      window = [];
      this.#latencies.set(kind, window);
    }
    const fastest = window.length > 0 ? Math.min(...window) : undefined;
    window.push(latencyMs);
    if (window.length > BASELINE_WINDOW) window.shift();
    return fastest === undefined ? undefined : latencyMs / Math.max(1, fastest);
  }

  #set(limit: number, reason: string): void {
    this.current = { mode: 'auto', limit, reason };
    for (const listener of this.#listeners) listener(this.current);
  }
}

/**
 * The latency growth that means the server queues: one request past `slots` grows latency by
 * (slots + 1) / slots, so half of 1/limit is a queue; never below 10 %, which is noise.
 */
function congestedAbove(limit: number): number {
  return Math.max(1.1, 1 + 0.5 / limit);
}

function median(values: number[]): number {
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percent(ratio: number): string {
  return `${Math.round((ratio - 1) * 100)} %`;
}
