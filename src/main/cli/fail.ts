// How the CLI ends when it did not simply succeed (exit status 0).

/** The exit statuses besides 0, for scripts that run the CLI. */
export const EXIT = {
  /** An error: the command could not do what it was asked. */
  error: 1,
  /** Arguments the command cannot use (aspects try, import). */
  usage: 2,
  /** Finished, but some work has no result because its calls failed for good (result.json lists it). */
  finishedWithFailures: 3,
  /** Paused because backends fail for good: --resume continues once they are back (sysexits' EX_TEMPFAIL). */
  paused: 75,
  /** Cancelled with Ctrl-C (128 + SIGINT); --resume continues. */
  cancelled: 130,
} as const;

/** Prints the CLI's error on one line and exits with `code` (an error: 1). */
export function fail(message: string, code: number = EXIT.error): never {
  process.stderr.write(`drpo-studio: ${oneLine(message)}\n`);
  process.exit(code);
}

/** Says on one line that the work finished with failures, and ends the process with status 3 once it is done. */
export function finishedWithFailures(message: string): void {
  process.stderr.write(`drpo-studio: finished with failures: ${oneLine(message)}\n`);
  process.exitCode = EXIT.finishedWithFailures;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
