/** Prints the CLI's error on one line and exits with status 1. */
export function fail(message: string): never {
  process.stderr.write(`drpo-studio: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}
