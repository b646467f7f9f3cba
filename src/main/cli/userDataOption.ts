// The CLI's user-data folder (saved connections, enabled plugins, user plugins): its own
// --user-data flag, else $DRPO_STUDIO_HOME, else ~/.drpo-studio. Never a config file's say.
import path from 'node:path';
import { Option } from 'commander';
import { defaultUserDataDir } from '../store/settingsStore.js';

export const userDataOption = () =>
  new Option(
    '--user-data <dir>',
    'user data folder: saved connections and plugins (default $DRPO_STUDIO_HOME or ~/.drpo-studio)',
  );

export function userDataDirOf(options: { userData?: string }): string {
  return options.userData ? path.resolve(options.userData) : defaultUserDataDir();
}
