// How long a run or an experiment has left, from its plan and what it has measured so far. Two
// times the rest cannot beat, and the estimate is the larger:
// - the critical path: each search's levels still to run, one after the other, each as long as the
//   chain of calls a level waits on in turn (optimizer → base → judge) at the roles' mean
//   latencies; the level under way counts only what is left of its chain;
// - the work: the samples still planned, each holding a slot of its backend as long as it took so
//   far, shared over the backend's concurrency limit (the busiest backend decides).
// A role that has not answered yet is taken to be as slow as the calls its backend has answered
// (an experiment's judgments queue behind its answers: waiting for one would leave the estimate
// empty until near the end); the estimate is unknown until every backend with work left has
// answered once.
// A logged latency runs from the ask, so on a busy backend it includes the wait for a slot and
// overstates the time a call holds one. Little's law for the slots alone takes the wait out: the
// slot time the caller's calls held (its in-flight count, sampled at regular times, integrated)
// over the requests served (those still in flight counted as half served) is the mean time in
// service; over the mean logged latency it is the share of each latency to keep.
import { isPerfect } from '../engine/search/searchNode.js';
import type { Role } from '../llm/callLedger.js';
import type { RunEvent } from '../store/runLog.js';

/** Samples of one role on one backend. */
export interface RoleWork {
  role: Role;
  backend: string;
}

export interface PacePlan {
  /** The samples each role is planned to return, one entry per role and backend. */
  work: readonly (RoleWork & { samples: number })[];
  /**
   * The planned samples an event reports done. Progress is read from what the search reports, not
   * from paid calls, so calls served from a cache (a resumed run's, a shared selection) count too.
   */
  done(event: RunEvent): readonly RoleWork[];
  /** The searches that run side by side, by their node ids' prefix (an ICL run's examples). */
  searches: readonly string[];
  /** Levels of each search, the root's included. */
  levels: number;
  /** The roles a level waits on in turn: the root level's, then each later level's. */
  chain: { root: readonly Role[]; level: readonly Role[] };
  /**
   * A search ends after a level of rewrites once one of its states scored 5 on every aspect (the ICL
   * stage, searchPlan.ts); false: never early.
   */
  stopWhenPerfect: boolean;
}

/** A lane of a backend's scheduler at one moment: the backend's limit and this caller's requests in flight. */
export interface LaneSample {
  limit: number;
  inFlight: number;
}

interface Measured extends RoleWork {
  calls: number;
  /** Summed latencies of the calls. */
  latencyMs: number;
  /** Summed slot time: each call's latency times the requests it made. */
  slotMs: number;
  samples: number;
}

interface BackendLoad {
  limit: number | undefined;
  /** Slot time the caller's requests held: each sample's in-flight count until the next sample. */
  busyMs: number;
  /** The last sample: when, and its in-flight count. */
  sampledAt: number | undefined;
  inFlight: number;
  /** Requests served (re-asks included: they held slots too), and their logged latencies summed. */
  requests: number;
  latencyMs: number;
}

interface Search {
  /** Levels whose beam is chosen. */
  completed: number;
  /** A state scored 5 on every aspect: the search ends with the next beam of rewrites. */
  perfect: boolean;
  /** When the level under way began (its predecessor's beam), ms. */
  since: number;
  ended: boolean;
}

const workKey = (role: Role, backend: string) => JSON.stringify([role, backend]);

/** The search a node belongs to: its id's prefix up to the first ':' (an ICL example's `e3:`), or ''. */
const searchOf = (nodeId: string) => nodeId.slice(0, nodeId.indexOf(':') + 1);

export class TimeLeft {
  readonly #plan: PacePlan;
  #levels: number;
  readonly #done = new Map<string, number>();
  readonly #measured = new Map<string, Measured>();
  readonly #backends = new Map<string, BackendLoad>();
  readonly #searches = new Map<string, Search>();

  /** `start`: when the session began (ms), the root level's start. */
  constructor(plan: PacePlan, start: number) {
    this.#plan = plan;
    this.#levels = plan.levels;
    for (const prefix of plan.searches)
      this.#searches.set(prefix, { completed: 0, since: start, ended: false, perfect: false });
  }

  /** One event of the session, as it happens (`now`, ms). */
  observe(event: RunEvent, now: number): void {
    for (const { role, backend } of this.#plan.done(event)) {
      const key = workKey(role, backend);
      this.#done.set(key, (this.#done.get(key) ?? 0) + 1);
    }
    switch (event.type) {
      case 'call': {
        const load = this.#load(event.backend);
        load.requests += event.requests;
        load.latencyMs += event.latencyMs * event.requests;
        if (event.repair) return; // a re-ask after an unusable reply: not what the plan's calls take
        const key = workKey(event.role, event.backend);
        let measured = this.#measured.get(key);
        if (!measured) {
          measured = { role: event.role, backend: event.backend, calls: 0, latencyMs: 0, slotMs: 0, samples: 0 };
          this.#measured.set(key, measured);
        }
        measured.calls += 1;
        measured.latencyMs += event.latencyMs;
        measured.slotMs += event.latencyMs * event.requests;
        measured.samples += event.texts.length;
        return;
      }
      case 'beam': {
        const search = this.#searches.get(searchOf(event.ids[0] ?? ''));
        if (search && event.level + 1 > search.completed) {
          search.completed = event.level + 1;
          search.since = now;
        }
        if (search && event.level > 0 && search.perfect) search.ended = true;
        return;
      }
      case 'depth-extended':
        this.#levels = Math.max(this.#levels, event.depth);
        return;
      case 'node-evaluated': {
        const search = this.#searches.get(searchOf(event.id));
        if (search && this.#plan.stopWhenPerfect && isPerfect(event.evaluation)) search.perfect = true;
        return;
      }
    }
  }

  /** The backend's lane at one moment (`now`, ms); take these at regular times. */
  sample(backend: string, lane: LaneSample, now: number): void {
    const load = this.#load(backend);
    if (load.sampledAt !== undefined) load.busyMs += load.inFlight * (now - load.sampledAt);
    load.sampledAt = now;
    load.inFlight = lane.inFlight;
    load.limit = lane.limit;
  }

  /** Milliseconds to the end; null until every backend with work left has answered once. */
  estimateMs(now: number): number | null {
    const path = this.#criticalPathMs(now);
    const work = this.#workMs();
    return path === null || work === null ? null : Math.round(Math.max(path, work));
  }

  #left(role: Role, backend: string): number {
    const planned = this.#plan.work.find((w) => w.role === role && w.backend === backend)?.samples ?? 0;
    return Math.max(0, planned - (this.#done.get(workKey(role, backend)) ?? 0));
  }

  #load(backend: string): BackendLoad {
    let load = this.#backends.get(backend);
    if (!load) {
      load = { limit: undefined, busyMs: 0, sampledAt: undefined, inFlight: 0, requests: 0, latencyMs: 0 };
      this.#backends.set(backend, load);
    }
    return load;
  }

  /** The share of a logged latency spent holding a slot of this backend (1 until time has been sampled). */
  #inService(backend: string): number {
    const load = this.#backends.get(backend);
    if (!load || load.busyMs === 0 || load.requests === 0) return 1;
    const service = load.busyMs / (load.requests + load.inFlight / 2);
    return Math.min(1, service / (load.latencyMs / load.requests));
  }

  /** What a backend's calls took so far, all roles together: per call, and per sample of slot time. */
  #backendMeans(backend: string): { latencyMs: number; slotMs: number } | undefined {
    let calls = 0;
    let latencyMs = 0;
    let slotMs = 0;
    let samples = 0;
    for (const m of this.#measured.values()) {
      if (m.backend !== backend) continue;
      calls += m.calls;
      latencyMs += m.latencyMs;
      slotMs += m.slotMs;
      samples += m.samples;
    }
    return calls > 0 && samples > 0 ? { latencyMs: latencyMs / calls, slotMs: slotMs / samples } : undefined;
  }

  /**
   * A role's mean time in service, on its slowest backend (an experiment's targets); before it has
   * answered, its backends' calls' mean, or 0 when it has nothing left to do (its answers came from a
   * cache); undefined while a backend it still needs has answered nothing.
   */
  #latency(role: Role): number | undefined {
    let slowest = 0;
    for (const work of this.#plan.work) {
      if (work.role !== role) continue;
      const { backend } = work;
      const measured = this.#measured.get(workKey(role, backend));
      if (!measured && this.#left(role, backend) === 0) continue;
      const latency = measured ? measured.latencyMs / measured.calls : this.#backendMeans(backend)?.latencyMs;
      if (latency === undefined) return undefined;
      slowest = Math.max(slowest, latency * this.#inService(backend));
    }
    return slowest;
  }

  #chainMs(roles: readonly Role[]): number | null {
    let total = 0;
    for (const role of roles) {
      const latency = this.#latency(role);
      if (latency === undefined) return null;
      total += latency;
    }
    return total;
  }

  #criticalPathMs(now: number): number | null {
    let longest = 0;
    for (const search of this.#searches.values()) {
      if (search.ended || search.completed >= this.#levels) continue;
      const current = this.#chainMs(search.completed === 0 ? this.#plan.chain.root : this.#plan.chain.level);
      const later = this.#levels - search.completed - 1;
      const each = later > 0 ? this.#chainMs(this.#plan.chain.level) : 0;
      if (current === null || each === null) return null;
      longest = Math.max(longest, Math.max(0, current - (now - search.since)) + later * each);
    }
    return longest;
  }

  #workMs(): number | null {
    const slotMs = new Map<string, number>();
    for (const { role, backend } of this.#plan.work) {
      const left = this.#left(role, backend);
      if (left === 0) continue;
      const measured = this.#measured.get(workKey(role, backend));
      const perSample =
        measured && measured.samples > 0 ? measured.slotMs / measured.samples : this.#backendMeans(backend)?.slotMs;
      if (perSample === undefined) return null;
      slotMs.set(backend, (slotMs.get(backend) ?? 0) + left * perSample * this.#inService(backend));
    }
    let longest = 0;
    for (const [backend, ms] of slotMs) {
      const limit = this.#backends.get(backend)?.limit;
      if (limit === undefined) return null;
      longest = Math.max(longest, ms / limit);
    }
    return longest;
  }
}
