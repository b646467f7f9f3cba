/** Prints the CLI's one-line error and exits with status 1. */
export function fail(message: string): never {
  process.stderr.write(`drpo-studio: ${message}\n`);
  process.exit(1);
}
