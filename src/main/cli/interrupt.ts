// Long commands (optimize, icl, eval, transfer, ablate) run under `resumable`: Ctrl-C (or
// SIGTERM) cancels the work through its AbortSignal; finished calls stay in the folder's log, so
// whether it was cancelled, paused for failing backends or failed, the command says how to resume
// it, each with its own exit status (fail.ts).
import { ModelCallError } from '../../plugins/contract.js';
import { RunPausedError } from '../runs/backendOutage.js';
import { EXIT, fail } from './fail.js';

/**
 * Ctrl-C (or SIGTERM) aborts the signal after writing `notice`; a second one ends the process.
 * The listener stays until `release`: with `once`, signal-exit (loaded with node-llama-cpp) would
 * find no other listener left and kill the process before the work could stop cleanly.
 */
export function onInterrupt(notice: string): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(EXIT.cancelled);
    process.stderr.write(`\n${notice}\n`);
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    },
  };
}

/** Runs `work` with Ctrl-C wired to its signal; when it stops early, says how to resume `command` on `dir`. */
export async function resumable(
  command: string,
  dir: string,
  work: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const interrupt = onInterrupt(`cancelling… (finished calls are kept; resume the ${command} with --resume)`);
  try {
    await work(interrupt.signal);
  } catch (error) {
    if (error instanceof ModelCallError && error.kind === 'aborted' && interrupt.signal.aborted) {
      process.stderr.write(`cancelled. Continue with: drpo-studio ${command} --resume ${dir}\n`);
      process.exit(EXIT.cancelled);
    }
    if (error instanceof RunPausedError)
      fail(`paused: ${error.reason} (continue with: drpo-studio ${command} --resume ${dir})`, EXIT.paused);
    fail(
      `${(error as Error).message} (every finished call is kept; continue with: drpo-studio ${command} --resume ${dir})`,
    );
  } finally {
    interrupt.release();
  }
}
