// A resumed run or experiment starts from its log: every finished call goes back into the cache
// (so nothing finished is paid twice) and into the accounting it was first recorded in.
import type { CallCache } from './callCache.js';
import type { CallEvent } from './callEvents.js';
import type { CallLedger } from './callLedger.js';

/** A finished or failed call, as logged. */
export type LoggedCall = Extract<CallEvent, { type: 'call' | 'call-failed' }>;

export function restoreCalls(
  previous: readonly { type: string }[],
  cache: CallCache,
  ledgerFor: (event: LoggedCall) => CallLedger,
  /** Where the server probes made at earlier opens are counted (a run's ledger). */
  probes?: CallLedger,
): void {
  for (const event of previous as CallEvent[]) {
    if (event.type === 'call') {
      cache.set(event.key, { texts: event.texts }, false);
      ledgerFor(event).recordCall(event.role, event.backend, {
        requests: event.requests,
        samples: event.texts.length,
        usage: event.usage,
        retries: event.retries,
        repair: event.repair,
        costUsd: event.costUsd,
      });
    } else if (event.type === 'call-failed') {
      ledgerFor(event).recordError(event.role, event.retries);
    } else if (event.type === 'probe') {
      probes?.recordProbe(event.backend, event.requests);
    }
  }
}
