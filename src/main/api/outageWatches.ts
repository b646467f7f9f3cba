// Runs and experiments paused for a backend that is down resume by themselves once it answers
// again (runs/backendProbe.ts says how it is probed, and which outages are waited out). One watch
// per folder, in this process: a resume, a cancel, a remove or closing the studio ends it; after a
// restart the studio does not watch again, and Resume does it by hand.

import { outageProbe, type ProbeTiming, untilBack } from '../runs/backendProbe.js';
import type { BackendHost } from '../runs/openBackends.js';
import type { BackendOutage } from '../store/runLog.js';

export class OutageWatches {
  readonly #watches = new Map<string, AbortController>();

  constructor(private readonly timing?: ProbeTiming) {}

  has(id: string): boolean {
    return this.#watches.has(id);
  }

  /**
   * Probes the backends of `outages` until they answer, then calls `resume`; nothing is watched
   * when they are not worth waiting for. A resume refused meanwhile (resumed, cancelled, removed, or
   * another process holds the folder) leaves nothing to do.
   */
  watch(
    id: string,
    config: Parameters<typeof outageProbe>[0],
    outages: readonly BackendOutage[],
    host: BackendHost,
    resume: () => void,
  ): void {
    this.forget(id);
    const probe = outageProbe(config, outages, host);
    if (!probe) return;
    const controller = new AbortController();
    this.#watches.set(id, controller);
    void untilBack(probe, controller.signal, this.timing).then((back) => {
      if (this.#watches.get(id) !== controller) return;
      this.#watches.delete(id);
      if (!back) return;
      try {
        resume();
      } catch {
        // nothing to resume any more
      }
    });
  }

  forget(id: string): void {
    this.#watches.get(id)?.abort();
    this.#watches.delete(id);
  }

  forgetAll(): void {
    for (const id of [...this.#watches.keys()]) this.forget(id);
  }
}
