// Token, call and failure accounting per role and per backend.
import type { TokenUsage } from '../../plugins/contract.js';
import { ownValue } from '../../shared/ownProperty.js';
import { ROLES, type Role } from '../../shared/runOptions.js';

// Declared with the run config's vocabulary (shared with the renderer).
export { ROLES, type Role };

export interface RoleTally {
  /** Requests sent and answered (retries and repair re-asks not counted here: these are what A.5 counts). */
  calls: number;
  /** Re-asks after an unusable structured reply (requests beyond A.5, counted on their own). */
  repairs: number;
  /** Completions received (a call with n samples counts n). */
  samples: number;
  promptTokens: number;
  completionTokens: number;
  retries: number;
  /** Calls that failed for good (after retries). */
  errors: number;
  /** Structured replies that stayed unusable after the repair re-ask. */
  parseFailures: number;
  /** Calls answered from the cache, paying nothing. */
  cacheHits: number;
  /** US dollars spent, where the backend has a price. */
  costUsd: number;
}

export interface BackendTally {
  /** Requests the backend answered for calls (a call's fallbacks and separately asked samples included). */
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Requests of the server's probes (present once one was made): with `calls`, what the server received. */
  probeRequests?: number;
}

const emptyTally = (): RoleTally => ({
  calls: 0,
  repairs: 0,
  samples: 0,
  promptTokens: 0,
  completionTokens: 0,
  retries: 0,
  errors: 0,
  parseFailures: 0,
  cacheHits: 0,
  costUsd: 0,
});

export class CallLedger {
  readonly roles: Record<Role, RoleTally> = {
    base: emptyTally(),
    selector: emptyTally(),
    judge: emptyTally(),
    optimizer: emptyTally(),
  };
  readonly backends: Record<string, BackendTally> = {};

  recordCall(
    role: Role,
    backend: string,
    call: { requests: number; samples: number; usage: TokenUsage; retries: number; repair?: boolean; costUsd?: number },
  ): void {
    const { requests, samples, usage, retries } = call;
    const cost = call.costUsd ?? 0;
    const tally = this.roles[role];
    if (call.repair) {
      tally.repairs += requests;
    } else {
      tally.calls += requests;
      tally.samples += samples;
    }
    tally.promptTokens += usage.promptTokens;
    tally.completionTokens += usage.completionTokens;
    tally.retries += retries;
    tally.costUsd += cost;
    const b = this.backendTally(backend);
    b.costUsd += cost;
    b.calls += requests;
    b.promptTokens += usage.promptTokens;
    b.completionTokens += usage.completionTokens;
  }

  recordProbe(backend: string, requests: number): void {
    const b = this.backendTally(backend);
    b.probeRequests = (b.probeRequests ?? 0) + requests;
  }

  private backendTally(backend: string): BackendTally {
    const b = ownValue(this.backends, backend) ?? { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
    this.backends[backend] = b;
    return b;
  }

  recordError(role: Role, retries: number): void {
    this.roles[role].errors += 1;
    this.roles[role].retries += retries;
  }

  recordParseFailure(role: Role): void {
    this.roles[role].parseFailures += 1;
  }

  recordCacheHit(role: Role): void {
    this.roles[role].cacheHits += 1;
  }

  totals(): RoleTally {
    const total = emptyTally();
    for (const tally of Object.values(this.roles)) {
      for (const key of Object.keys(total) as (keyof RoleTally)[]) total[key] += tally[key];
    }
    return total;
  }
}
