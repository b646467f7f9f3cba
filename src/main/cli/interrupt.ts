// Long commands (optimize, icl, eval, transfer, ablate) run under `resumable`: Ctrl-C (or
// SIGTERM) cancels the work through its AbortSignal; finished calls stay in the folder's log, so
// whether it was cancelled, paused for failing backends or failed, the command says how to resume
// it, each with its own exit status (fail.ts).
import { ModelCallError } from '../../plugins/contract.js';
import { RunPausedError } from '../runs/backendOutage.js';
import { EXIT, fail } from './fail.js';

function onInterrupt(what: string): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const interrupt = () => {
    process.stderr.write(`\ncancelling… (finished calls are kept; resume ${what} with --resume)\n`);
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
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
  const interrupt = onInterrupt(`the ${command}`);
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
