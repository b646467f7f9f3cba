// How many requests a backend gets at once. A pinned number stays as it is (lowered to what the
// server declares it serves). 'auto' is an AIMD controller with a latency gradient, as TCP's
// congestion control and Netflix's concurrency-limits do it:
// - it starts from what the server declares (llama.cpp's slots, a plugin's maxParallel), else at 1,
//   so each kind of call's baseline latency is measured on a server our own load does not queue;
// - after each round (as many finished calls as the limit) whose calls were kept waiting for a slot
//   and whose latency stayed flat, it adds one: a server that queues shows growing latency as soon
//   as one request too many is open (Little's law: latency grows by inFlight/slots), so the limit
//   overshoots the server's capacity by one at most. A flat round right after a congested one does
//   not raise it: at one past the slots a level's bursts leave some rounds looking flat, and a raise
//   then would put two requests in the server's queue;
// - latency grown with load (a round's mean) in two rounds in a row takes one away (one round can be the client's
//   own noise: several replies parsed at once on a small machine look like a slower server);
// - a 429/503 sets it just below the load the server refused, and it does not probe that load
//   again for 30 s, doubling each time the probe is refused again (up to 10 min): a refusal costs
//   a Retry-After wait, often on the search's critical path. Meanwhile latency does not lower it;
// - it never rises while the search has nothing waiting (never above what the search can use).
// Latency is compared within a kind of call (a role), against the 10th percentile of its recent
// latencies: a judge's reply is longer than a selector's, and the fastest one ever is an outlier.

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
const AUTO_START = 1;
/** How long a load refused with 429/503 is not probed again; doubled at each refusal of the probe. */
const FIRST_HOLD_MS = 30_000;
const LONGEST_HOLD_MS = 10 * 60_000;
/** Samples of a kind its baseline latency is taken over (so the baseline follows a server that changes). */
const BASELINE_WINDOW = 200;
const BASELINE_PERCENTILE = 0.1;

export function createController(
  concurrency: number | 'auto',
  declared?: { limit: number; source: string },
  now: () => number = () => performance.now(),
): ConcurrencyController {
  if (concurrency !== 'auto') {
    const limit = declared ? Math.min(concurrency, declared.limit) : concurrency;
    const reason =
      limit < concurrency
        ? `pinned at ${concurrency} by the config, lowered to ${limit}: ${declared!.source} says the server serves ${limit} at a time`
        : `pinned at ${limit} by the config`;
    return fixedController({ mode: 'fixed', limit, reason });
  }
  return new AimdController(declared, now);
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
  readonly #now: () => number;
  readonly #listeners = new Set<(change: LimitChange) => void>();
  readonly #latencies = new Map<string, number[]>();
  #round: number[] = [];
  #queuedInRound = false;
  #congestedRounds = 0;
  /** Whether the latest round was congested (a raise needs two rounds in a row without). */
  #lastCongested = false;
  /** The lowest load refused with 429/503 lately: not probed again before #holdUntil. */
  #refusedAt = Number.POSITIVE_INFINITY;
  #holdUntil = 0;
  #holdMs = FIRST_HOLD_MS;

  constructor(declared: { limit: number; source: string } | undefined, now: () => number) {
    this.#ceiling = declared?.limit ?? AUTO_CEILING;
    this.#now = now;
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
    // Only a call started with the limit full says what the limit does: one started under an older,
    // higher limit, or while the search used fewer slots, says nothing about it.
    if (load !== this.current.limit) return;
    if (ratio !== undefined) this.#round.push(ratio);
    if (demand > this.current.limit) this.#queuedInRound = true;
    if (this.#round.length < this.current.limit) return;

    const limit = this.current.limit;
    const growth = mean(this.#round);
    const queued = this.#queuedInRound;
    this.#round = [];
    this.#queuedInRound = false;
    const holding = this.#now() < this.#holdUntil;
    if (!holding) this.#refusedAt = Number.POSITIVE_INFINITY;
    const congested = growth > congestedAbove(limit);
    const afterCongestion = this.#lastCongested;
    this.#lastCongested = congested;
    this.#congestedRounds = congested ? this.#congestedRounds + 1 : 0;

    if (congested && !holding && this.#congestedRounds >= 2 && limit > 1) {
      this.#congestedRounds = 0;
      this.#set(limit - 1, `latency grew ${percent(growth)} at ${limit} in flight: lowered to ${limit - 1}`);
    } else if (!congested && !afterCongestion && queued && limit < this.#ceiling && limit + 1 < this.#refusedAt) {
      this.#set(limit + 1, `latency flat at ${limit} in flight with calls waiting: raised to ${limit + 1}`);
    }
  }

  overloaded({ load }: { load: number }): void {
    const now = this.#now();
    // A refusal while a refused load is held means the probe (or the server's capacity) fell again: hold longer.
    if (now < this.#holdUntil) this.#holdMs = Math.min(LONGEST_HOLD_MS, this.#holdMs * 2);
    this.#holdUntil = now + this.#holdMs;
    this.#refusedAt = Math.min(this.#refusedAt, load);
    const limit = Math.max(1, Math.min(this.current.limit, load - 1));
    this.#round = [];
    this.#queuedInRound = false;
    this.#congestedRounds = 0;
    this.#lastCongested = false;
    if (limit < this.current.limit)
      this.#set(limit, `the server refused a call (429/503) at ${load} in flight: lowered to ${limit}`);
  }

  /** Latency over its kind's recent 10th percentile; undefined for a kind's first call (no baseline yet). */
  #ratio(kind: string, latencyMs: number): number | undefined {
    let window = this.#latencies.get(kind);
    if (!window) {
      window = [];
      this.#latencies.set(kind, window);
    }
    const baseline = window.length > 0 ? percentile(window, BASELINE_PERCENTILE) : undefined;
    window.push(latencyMs);
    if (window.length > BASELINE_WINDOW) window.shift();
    return baseline === undefined ? undefined : latencyMs / Math.max(1, baseline);
  }

  #set(limit: number, reason: string): void {
    this.current = { mode: 'auto', limit, reason };
    for (const listener of this.#listeners) listener(this.current);
  }
}

/**
 * The latency growth that means the server queues: one request past `slots` grows latency by
 * (slots + 1) / slots, so half of 1/limit is a queue; never below 15 %: the client's own time with
 * several replies arriving at once on a small machine reads as that much.
 */
function congestedAbove(limit: number): number {
  return Math.max(1.15, 1 + 0.5 / limit);
}

/**
 * A round's growth is its mean, not its median: a level's calls arrive in bursts, so at one request
 * past the slots most of a round is served at once and one waits a whole latency; the median hides it.
 */
function mean(values: number[]): number {
  return values.length === 0 ? 1 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The value below which a fraction `p` of `values` lie (nearest rank). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function percent(ratio: number): string {
  return `${Math.round((ratio - 1) * 100)} %`;
}
