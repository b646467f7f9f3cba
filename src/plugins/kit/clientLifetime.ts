// A client's calls in flight and its dispose(): dispose aborts every call (through `signal`),
// waits until each has settled, then releases what the client holds; a call after dispose is
// refused. Every built-in ModelClient keeps one.

import { ModelCallError } from '../contract.js';

export class ClientLifetime {
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private disposing: Promise<void> | undefined;

  /** `label` starts the messages (the plugin id). */
  constructor(private readonly label: string) {}

  /** Aborted once dispose() is called: hand it to every request the client makes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get disposed(): boolean {
    return this.disposing !== undefined;
  }

  /** Runs one call of the client, which dispose() then waits for ('bad-request' once disposed). */
  track<T>(start: () => Promise<T>): Promise<T> {
    if (this.disposing)
      return Promise.reject(new ModelCallError('bad-request', `${this.label}: the client has been disposed`));
    let call: Promise<T>;
    try {
      call = start();
    } catch (error) {
      return Promise.reject(error);
    }
    this.inFlight.add(call);
    const forget = (): void => {
      this.inFlight.delete(call);
    };
    call.then(forget, forget);
    return call;
  }

  /** Aborts the calls in flight, waits for them, then runs `release` (once, however often called). */
  dispose(release?: () => Promise<void>): Promise<void> {
    this.disposing ??= (async () => {
      this.controller.abort(new Error(`${this.label} client disposed`));
      await Promise.allSettled([...this.inFlight]);
      await release?.();
    })();
    return this.disposing;
  }
}
