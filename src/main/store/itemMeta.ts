// A run's or an experiment's name and notes: meta.json beside its config in its folder. Kept apart
// from config.json and events.jsonl (never edited here), so naming a running run touches nothing
// its session writes. Writes are atomic and serialized by their own lock (meta.json.lock, not the
// folder's: a running session holds that one); reads are zod-checked, and a damaged file is the
// caller's to report (the item itself stays readable).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LIMITS } from '../../shared/requestLimits.js';
import type { DamagedFile } from '../../shared/studioApi.js';
import { parseJson, readTextFile } from '../data/jsonFiles.js';
import { withLock } from './exclusiveLock.js';
import { writeFileAtomic } from './privateFiles.js';

export const ITEM_META_FILE = 'meta.json';

export const itemMetaSchema = z.object({
  name: z.string().max(LIMITS.itemName).optional(),
  notes: z.string().max(LIMITS.itemNotes).optional(),
});
export type ItemMeta = z.infer<typeof itemMetaSchema>;

/** What `describe` changes: a field given replaces the saved one, an empty (or blank) one clears it. */
export type ItemMetaPatch = ItemMeta;

/** The folder's name and notes ({} when it has none), or `damaged` naming the file and why it cannot be read. */
export function readItemMeta(dir: string): { meta: ItemMeta; damaged?: DamagedFile } {
  const file = path.join(dir, ITEM_META_FILE);
  if (!existsSync(file)) return { meta: {} };
  try {
    const parsed = itemMetaSchema.safeParse(parseJson(readTextFile(file), ITEM_META_FILE));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'not a name and notes'}`);
    }
    return { meta: parsed.data };
  } catch (error) {
    return { meta: {}, damaged: { file, reason: (error as Error).message } };
  }
}

/** `meta`'s fields as the summaries carry them: absent rather than empty. */
export function metaFields(meta: ItemMeta): ItemMeta {
  return { ...(meta.name ? { name: meta.name } : {}), ...(meta.notes ? { notes: meta.notes } : {}) };
}

/**
 * Applies `patch` to the folder's meta.json (a damaged one is replaced by the patch alone) and
 * returns what is saved now. `holder` is who the lock names; a concurrent writer is waited for.
 */
export async function writeItemMeta(dir: string, patch: ItemMetaPatch, holder: string): Promise<ItemMeta> {
  const file = path.join(dir, ITEM_META_FILE);
  return withLock(file, holder, 2000, () => {
    const current = readItemMeta(dir);
    const next: ItemMeta = { ...(current.damaged ? {} : current.meta) };
    if (patch.name !== undefined) next.name = patch.name.trim();
    if (patch.notes !== undefined) next.notes = patch.notes.trim() === '' ? '' : patch.notes;
    const saved = metaFields(itemMetaSchema.parse(next));
    writeFileAtomic(file, `${JSON.stringify(saved, null, 2)}\n`);
    return saved;
  });
}
