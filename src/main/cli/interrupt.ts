// Ctrl-C (or SIGTERM) cancels the work in hand through its AbortSignal; finished calls stay in
// the folder's log, so the command can be resumed.
export function onInterrupt(what: string): { signal: AbortSignal; release(): void } {
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
