// drpo-studio runs list|rename|remove, experiments list|rename|remove: the run and experiment folders
// of a user-data folder (damaged ones included, with the file at fault and why), their names and
// notes (meta.json, store/itemMeta.ts), and their removal.
// Removing asks no question (CI has no terminal to answer it): without --yes it only says what it
// would remove and exits 1. A folder another process is writing is never removed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { DamagedFile, RunSource } from '../../shared/studioApi.js';
import { DatasetStore } from '../api/datasetStore.js';
import { ExperimentManager } from '../api/experimentManager.js';
import { itemPath, removeItem } from '../api/folderItems.js';
import { RunManager } from '../api/runManager.js';
import { writeItemMeta } from '../store/itemMeta.js';
import { defaultUserDataDir } from '../store/settingsStore.js';
import { fail } from './fail.js';

interface Listed {
  id: string;
  status: string;
  createdAt: number;
  damaged?: DamagedFile;
  source?: RunSource;
  name?: string;
}

const KINDS = {
  runs: {
    what: 'run',
    list: (userData: string) => new RunManager(path.join(userData, 'runs'), userData).list(),
  },
  experiments: {
    what: 'experiment',
    list: (userData: string) =>
      new ExperimentManager(
        path.join(userData, 'experiments'),
        userData,
        new DatasetStore(path.join(userData, 'datasets')),
      ).list(),
  },
} satisfies Record<string, { what: string; list: (userData: string) => Listed[] }>;

function userDataDir(option?: string): string {
  return option ? path.resolve(option) : defaultUserDataDir();
}

/** A folder path (it has a separator, or is `.`/`..`), or an id in the user-data folder's `kind` folder. */
function target(kind: keyof typeof KINDS, dirOrId: string, userData?: string): { parent: string; id: string } {
  if (!/[\\/]/.test(dirOrId) && !/^\.+$/.test(dirOrId))
    return { parent: path.join(userDataDir(userData), kind), id: dirOrId };
  const dir = path.resolve(dirOrId);
  // A path names a folder anywhere: remove it only when it is one of ours (damaged ones included).
  if (!['config.json', 'events.jsonl'].some((file) => existsSync(path.join(dir, file))))
    fail(`${dir} is not a ${KINDS[kind].what} folder (no config.json or events.jsonl)`);
  return { parent: path.dirname(dir), id: path.basename(dir) };
}

export function registerFolderCommands(program: Command): void {
  for (const [kind, { what, list }] of Object.entries(KINDS) as [
    keyof typeof KINDS,
    (typeof KINDS)[keyof typeof KINDS],
  ][]) {
    const group = program.command(kind).description(`the ${what}s of a user-data folder`);
    group
      .command('list')
      .description(`the ${what}s, newest first; a damaged one names the file at fault and why`)
      .option('--user-data <dir>', 'user data folder (default $DRPO_STUDIO_HOME or ~/.drpo-studio)')
      .action((options: { userData?: string }) => {
        for (const item of list(userDataDir(options.userData)) as Listed[])
          process.stdout.write(
            `${item.id}  ${item.status}${item.damaged ? `: ${item.damaged.file}: ${item.damaged.reason}` : ''}${item.source ? `  published trace (${item.source.model}), read-only` : ''}${item.name ? `  ${JSON.stringify(item.name)}` : ''}\n`,
          );
      });
    group
      .command('rename <id> <name>')
      .description(`name a ${what} (an empty name clears it); allowed while it runs`)
      .option('--notes <text>', `replace the ${what}'s notes (an empty text clears them)`)
      .option('--user-data <dir>', 'user data folder (default $DRPO_STUDIO_HOME or ~/.drpo-studio)')
      .action(async (id: string, name: string, options: { notes?: string; userData?: string }) => {
        if (/[\r\n]/.test(name)) fail('a name is one line');
        const parent = path.join(userDataDir(options.userData), kind);
        let dir: string;
        try {
          dir = itemPath(parent, id, what);
        } catch (error) {
          fail((error as Error).message);
        }
        const saved = await writeItemMeta(dir, { name, notes: options.notes }, `drpo-studio ${kind} rename`).catch(
          (error: Error) => fail(error.message),
        );
        process.stdout.write(`${id}  ${saved.name ? JSON.stringify(saved.name) : '(no name)'}\n`);
      });
    group
      .command('remove <dir-or-id>')
      .description(`delete a ${what}'s folder (a damaged one too); refused while a process runs it`)
      .option('--yes', 'remove it (without this, only say what would be removed)')
      .option('--user-data <dir>', 'user data folder, where an id is looked up')
      .action((dirOrId: string, options: { yes?: boolean; userData?: string }) => {
        const { parent, id } = target(kind, dirOrId, options.userData);
        const dir = path.join(parent, id);
        if (!existsSync(dir)) fail(`no ${what} ${dir}`);
        if (!options.yes) fail(`would remove ${dir}; run again with --yes to remove it`);
        removeItem(parent, id, what, `drpo-studio ${kind} remove`);
        process.stdout.write(`removed ${dir}\n`);
      });
  }
}
