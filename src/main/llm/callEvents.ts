// What the model layer reports about each call; the run log keeps these so a resumed run
// re-pays nothing and its accounting survives the restart.
import type { ModelErrorKind, TokenUsage } from '../../plugins/contract.js';
import type { Role } from './callLedger.js';

export type CallEvent =
  | {
      type: 'call';
      role: Role;
      backend: string;
      key: string;
      rolloutId?: string;
      /** Backend requests this logical call took (the plugin's own fallbacks and the samples asked apart included). */
      requests: number;
      /** A re-ask after an unusable structured reply. */
      repair?: boolean;
      texts: string[];
      usage: TokenUsage;
      /** US dollars, from the backend's price; 0 when free or unknown. */
      costUsd: number;
      retries: number;
      latencyMs: number;
      /** The part of an experiment the call served (setup and target), for its accounting. */
      scope?: string;
    }
  | {
      type: 'call-failed';
      role: Role;
      backend: string;
      key: string;
      kind: ModelErrorKind;
      message: string;
      retries: number;
      scope?: string;
    }
  | {
      type: 'retry';
      role: Role;
      backend: string;
      attempt: number;
      kind: ModelErrorKind;
      message: string;
      delayMs: number;
      /** A wait on a full server (429/503), which uses up no retry. */
      overload?: boolean;
    }
  | {
      /**
       * The server was probed as its connection opened (no profile was kept yet): requests it
       * received outside any call, counted in the backend's `probeRequests`.
       */
      type: 'probe';
      backend: string;
      requests: number;
      summary: string;
    }
  | {
      /** The connection's concurrency limit: at the start of a session, then at each change, with why. */
      type: 'concurrency';
      backend: string;
      mode: 'auto' | 'fixed';
      limit: number;
      reason: string;
    };
