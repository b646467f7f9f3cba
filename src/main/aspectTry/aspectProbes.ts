// The saved probe examples (README "Trying criteria on a query"): <userData>/aspect-probes.json,
// checked when read and written whole (atomically). A damaged file is reported by probes(), not
// taken for an empty list; saving over it first keeps it aside as aspect-probes.damaged-<time>.json,
// so the user's examples are never lost unseen.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type AspectProbe, aspectProbesSchema } from '../../shared/aspectTry.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { parseJson } from '../data/jsonFiles.js';
import { writeFileAtomic } from '../store/privateFiles.js';

const PROBES_FILE = 'aspect-probes.json';

export function aspectProbes(userDataDir: string) {
  const file = path.join(userDataDir, PROBES_FILE);
  /** The probes, or why the file cannot be read (thrown). */
  const read = (): AspectProbe[] => {
    if (!existsSync(file)) return [];
    const parsed = aspectProbesSchema.safeParse(parseJson(readFileSync(file, 'utf8'), file));
    if (!parsed.success) throw new Error(`${file} is damaged: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}`);
    return parsed.data;
  };
  return {
    probes: async (): Promise<AspectProbe[]> => {
      try {
        return read();
      } catch (error) {
        throw new StudioApiError(
          'internal',
          `${(error as Error).message} (saving probes keeps it aside as aspect-probes.damaged-<time>.json)`,
        );
      }
    },
    saveProbes: async (probes: AspectProbe[]): Promise<void> => {
      const checked = aspectProbesSchema.safeParse(probes);
      if (!checked.success) throw new StudioApiError('invalid-argument', z.prettifyError(checked.error));
      const ids = checked.data.map((p) => p.id);
      const twice = ids.find((id, i) => ids.indexOf(id) !== i);
      if (twice !== undefined) throw new StudioApiError('invalid-argument', `the probe id "${twice}" appears twice`);
      try {
        read();
      } catch {
        renameSync(
          file,
          path.join(userDataDir, `aspect-probes.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
        );
      }
      writeFileAtomic(file, `${JSON.stringify(checked.data, null, 2)}\n`);
    },
  };
}
