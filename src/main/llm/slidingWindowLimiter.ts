// A backend's requests-per-minute setting as a sliding-window limiter.

interface Waiter {
  grant(): void;
}

/**
 * At most `limit` grants in any window of `windowMs` (a log of grant times). Waiters are served
 * in FIFO order by a single timer that exists only while someone waits.
 */
export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #grants: number[] = []; // ascending times of the grants still inside the window
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#waiters.length === 0 && this.#tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        if (this.#waiters.length === 0) this.#clearTimer();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  #tryTake(): boolean {
    const now = performance.now();
    while (this.#grants.length > 0 && this.#grants[0]! <= now - this.#windowMs) this.#grants.shift();
    if (this.#grants.length >= this.#limit) return false;
    this.#grants.push(now);
    return true;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waiters.length === 0) return;
    const oldest = this.#grants[0] ?? performance.now();
    // At least 1 ms so a timer that fires a hair early cannot spin.
    const delay = Math.max(1, Math.ceil(oldest + this.#windowMs - performance.now()));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, delay);
  }

  #drain(): void {
    while (this.#waiters.length > 0 && this.#tryTake()) this.#waiters.shift()!.grant();
    this.#schedule();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}
