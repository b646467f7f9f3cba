// Waiting for a backend to come back after a pause. The probe is the connection test: the
// plugin's model list, which costs nothing. It is asked 5 s after the pause, then less and less
// often (x1.5 each time, at most once a minute), so a long outage costs a request a minute.
//
// Only failures that pass by themselves are waited out (a connection, a timeout, server errors, a
// full server, a rate limit); a refused key or a missing model waits for the user to fix it and
// resume. A backend whose plugin cannot list its models cannot be probed: nothing is waited for.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendOutage } from '../store/runLog.js';
import { passesByItself } from './backendOutage.js';
import { type BackendHost, openNamedBackends } from './openBackends.js';

/** 'unknown': it cannot be told (a plugin without a model list); waiting is pointless. */
export type ProbeAnswer = 'up' | 'down' | 'unknown';
export type Probe = (signal: AbortSignal) => Promise<ProbeAnswer>;

export interface ProbeTiming {
  firstMs: number;
  maxMs: number;
}

const PROBE_TIMING: ProbeTiming = { firstMs: 5_000, maxMs: 60_000 };

/** A probe of every backend the outages name, or undefined when they are not worth waiting for. */
export function outageProbe(
  config: Parameters<typeof openNamedBackends>[0],
  outages: readonly BackendOutage[],
  host: BackendHost,
): Probe | undefined {
  if (outages.length === 0 || !outages.every((o) => passesByItself(o.kind))) return undefined;
  const names = [...new Set(outages.map((o) => o.backend))];
  return async (signal) => {
    let opened: Awaited<ReturnType<typeof openNamedBackends>>;
    try {
      opened = await openNamedBackends(config, names, { ...host, consumer: 'probe', probe: false });
    } catch {
      return 'unknown'; // the backend cannot even be opened (a connection removed meanwhile): the user's to fix
    }
    try {
      for (const { client } of opened.byName.values()) {
        if (!client.listModels) return 'unknown';
        await client.listModels(signal);
      }
      return 'up';
    } catch {
      return 'down';
    } finally {
      await opened.dispose();
    }
  };
}

/** Probes until every backend answers (true), or until it cannot be told or `signal` aborts (false). */
export async function untilBack(probe: Probe, signal: AbortSignal, timing = PROBE_TIMING): Promise<boolean> {
  let delay = timing.firstMs;
  for (;;) {
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return false; // aborted
    }
    const answer = await probe(signal).catch((): ProbeAnswer => 'down');
    if (signal.aborted || answer === 'unknown') return false;
    if (answer === 'up') return true;
    delay = Math.min(delay * 1.5, timing.maxMs);
  }
}
