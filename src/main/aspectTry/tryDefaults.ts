// The connections a try uses unless the user picks others: those of the most recent run whose
// roles ran on saved connections (a backend `{connection: NAME}`). A run whose backends are
// plugins with settings of their own names no connection a try could open, and is passed over.
import type { AspectTryDefaults } from '../../shared/aspectTry.js';
import type { RunConfig } from '../config/runConfig.js';

/** Runs newest first, each read as far as its config (a damaged one throws and is skipped). */
export function tryDefaults(runs: { id: string; config: () => RunConfig }[]): AspectTryDefaults {
  for (const run of runs) {
    let config: RunConfig;
    try {
      config = run.config();
    } catch {
      continue;
    }
    const connection = (role: 'selector' | 'judge' | 'base') =>
      config.backends[config.roles[role].backend!]?.connection;
    const judge = connection('judge');
    if (judge === undefined) continue;
    const selector = connection('selector');
    const base = connection('base');
    return { judge, ...(selector ? { selector } : {}), ...(base ? { base } : {}), run: run.id };
  }
  return {};
}
