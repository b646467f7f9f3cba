// drpo-studio import-trace FILE: a search the paper published (optimized-prompts/<model>/trace.json)
// as a read-only run folder the studio lists beside the user's runs. Prints the new folder.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readTextFile } from '../data/jsonFiles.js';
import { importTrace, TRACE_MAX_BYTES } from '../runs/publishedTrace.js';
import { fail } from './fail.js';
import { userDataDirOf, userDataOption } from './userDataOption.js';

/** The published layout names the model by the trace's folder; another file by its own name. */
function modelOf(file: string): string {
  const name = path.basename(file);
  return name === 'trace.json' ? path.basename(path.dirname(file)) : name.replace(/(\.trace)?\.json$/i, '');
}

export function registerTraceCommand(program: Command): void {
  program
    .command('import-trace <file>')
    .description(
      'open a published search trace (optimized-prompts/<model>/trace.json) as a read-only run; prints its folder',
    )
    .option('--model <name>', "the model it was published for (default: the trace's folder name)")
    .option('--runs-dir <dir>', 'where to write the run (default: <user data>/runs, where the studio lists it)')
    .addOption(userDataOption())
    .action((file: string, options: { model?: string; runsDir?: string; userData?: string }) => {
      const resolved = path.resolve(file);
      // Refused before it is read: a file that size is no trace, whatever it holds.
      const size = statSync(resolved, { throwIfNoEntry: false })?.size ?? 0;
      if (size > TRACE_MAX_BYTES)
        fail(
          `${resolved}: ${(size / 2 ** 20).toFixed(1)} MiB is more than a published trace may be (${TRACE_MAX_BYTES / 2 ** 20} MiB)`,
        );
      const userDataDir = userDataDirOf(options);
      const runsDir = options.runsDir ? path.resolve(options.runsDir) : path.join(userDataDir, 'runs');
      const id = importTrace({
        runsDir,
        baseDir: userDataDir,
        model: options.model ?? modelOf(resolved),
        text: readTextFile(resolved, 'trace'),
        where: resolved,
        holder: 'drpo-studio import-trace',
      });
      process.stdout.write(`${path.join(runsDir, id)}\n`);
    });
}
