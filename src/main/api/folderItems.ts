// The items of a folder the studio lists (runs, experiments): each entry is read on its own, so
// one damaged item (a config.json that is not JSON, a log with a broken line, a missing file, a
// file where a folder should be) is listed as damaged, naming the file and why, and never breaks
// the list. Ids are plain names inside that folder: `..`, dot-only names, paths and the lock files
// beside the items are refused before anything is read or removed.
import { existsSync, lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { isSafeName } from '../../shared/safeName.js';
import type { DamagedFile } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { acquireLock, LockHeldError } from '../store/exclusiveLock.js';

/** An item part that cannot be read: which file, and why. */
export class DamagedItemError extends Error {
  constructor(readonly damaged: DamagedFile) {
    super(`${damaged.file}: ${damaged.reason}`);
    this.name = 'DamagedItemError';
  }
}

/** A lock beside an item (`<id>.lock`) or the lock's own temporary files: never an item. */
const LOCK_FILE = /\.lock(\.|$)/;

function isItemName(name: string): boolean {
  return isSafeName(name) && !name.startsWith('.') && !LOCK_FILE.test(name);
}

/** `read()`'s value; when it throws, a DamagedItemError naming `file` (its path shortened in the reason). */
export function readPart<T>(file: string, read: () => T): T {
  if (!existsSync(file)) throw new DamagedItemError({ file, reason: 'the file is missing' });
  try {
    return read();
  } catch (error) {
    const reason = (error as Error).message.replaceAll(`${file}: `, '').replaceAll(file, path.basename(file));
    throw new DamagedItemError({ file, reason });
  }
}

/** The names of the items in `parent`, lock files and hidden entries left out. */
export function itemIds(parent: string): string[] {
  return existsSync(parent) ? readdirSync(parent).filter(isItemName) : [];
}

/** `parent/id` once `id` is a plain item name there and the folder exists; a file in its place is damaged. */
export function itemPath(parent: string, id: string, what: string): string {
  if (!isItemName(id))
    throw new StudioApiError('invalid-argument', `"${id}" is not a ${what} id (a plain folder name)`);
  const dir = path.join(parent, id);
  // Belt and braces: whatever the name check lets through must stay inside `parent`.
  if (path.dirname(path.resolve(dir)) !== path.resolve(parent))
    throw new StudioApiError('invalid-argument', `"${id}" is not a ${what} id (a plain folder name)`);
  if (!lstatSync(dir, { throwIfNoEntry: false })) throw new StudioApiError('not-found', `no ${what} ${id}`);
  if (!existsSync(dir)) throw new DamagedItemError({ file: dir, reason: 'a link to nothing' });
  if (!statSync(dir).isDirectory()) throw new DamagedItemError({ file: dir, reason: `not a folder` });
  return dir;
}

/**
 * Lists every item of `parent` with `read`, and each one it cannot read with `damaged`: the file a
 * DamagedItemError names, or for anything else (a dangling link, an entry removed meanwhile) the entry.
 */
export function listItems<T>(
  parent: string,
  read: (id: string) => T,
  damaged: (id: string, file: DamagedFile, createdAt: number) => T,
): T[] {
  return itemIds(parent).map((id) => {
    const entry = path.join(parent, id);
    try {
      return read(id);
    } catch (error) {
      const file =
        error instanceof DamagedItemError ? error.damaged : { file: entry, reason: (error as Error).message };
      return damaged(id, file, lstatSync(entry, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    }
  });
}

/** What `get` says of a damaged item: not found when its file is missing, otherwise invalid, naming the file. */
function damagedItemError(what: string, id: string, error: DamagedItemError): StudioApiError {
  const { file, reason } = error.damaged;
  return new StudioApiError(
    existsSync(file) ? 'invalid-argument' : 'not-found',
    `${what} ${id} is damaged: ${file}: ${reason}`,
  );
}

/**
 * Removes the item `id` of `parent`, damaged or not, holding its lock meanwhile (as `holder`): an
 * item another session (here, or a CLI process) is writing is refused with `conflict`, naming it.
 */
export function removeItem(parent: string, id: string, what: string, holder: string): void {
  let dir: string;
  try {
    dir = itemPath(parent, id, what);
  } catch (error) {
    if (!(error instanceof DamagedItemError)) throw error;
    // A file (or a dangling link) where the folder should be: nothing can be writing it.
    rmSync(error.damaged.file, { force: true });
    return;
  }
  const lock = openForWriting(() => acquireLock(dir, holder));
  try {
    rmSync(dir, { recursive: true, force: true });
  } finally {
    lock.release();
  }
}

/** `read()`'s value; a damaged item's DamagedItemError becomes the clear error `get` gives (damagedItemError). */
export function readItem<T>(what: string, id: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DamagedItemError) throw damagedItemError(what, id, error);
    throw error;
  }
}

/** `open()`'s folder, opened for writing; a folder another session holds is a `conflict` naming the holder. */
export function openForWriting<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof LockHeldError) throw new StudioApiError('conflict', error.message);
    throw error;
  }
}
