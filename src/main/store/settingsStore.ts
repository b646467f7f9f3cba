// The studio's settings document (<user data>/settings.json): enabled user plugins, saved
// connections (secrets only as "env:NAME" references), price overrides and the extra addresses
// `detect` probes. A file that does not parse is reported and left as it is, never overwritten.
//
// Changes never overwrite each other: each one takes the file's lock (one writer across the
// studio, the CLI and every store object of this process), applies itself to the settings as
// they are on disk at that moment, and writes them atomically (0600). The store object's own
// copy is only a snapshot for reading.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LIMITS } from '../../shared/requestLimits.js';
import { withLock } from './exclusiveLock.js';
import { makePrivateDir, writeFileAtomic } from './privateFiles.js';

export const priceSchema = z.object({
  /** US dollars per million prompt tokens. */
  input: z.number().min(0),
  /** US dollars per million completion tokens. */
  output: z.number().min(0),
});
export type Price = z.infer<typeof priceSchema>;

export const connectionSchema = z.object({
  plugin: z.string().min(1),
  settings: z.record(z.string(), z.unknown()).default({}),
});

const settingsSchema = z.object({
  enabledPlugins: z.array(z.string()).default([]),
  connections: z.record(z.string(), connectionSchema).default({}),
  prices: z.record(z.string(), priceSchema).default({}),
  /** Addresses `detect` probes besides each server's default one (http(s) URLs). */
  detectAddresses: z
    .array(z.url({ protocol: /^https?$/ }).max(2048))
    .max(LIMITS.detectAddresses)
    .default([]),
});
export type StudioSettings = z.infer<typeof settingsSchema>;

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DRPO_STUDIO_HOME ?? path.join(homedir(), '.drpo-studio');
}

/** How long a change waits for another writer (a change takes milliseconds). */
const LOCK_WAIT_MS = 10_000;

function readSettings(file: string): StudioSettings {
  if (!existsSync(file)) return settingsSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `the settings file ${file} is not valid JSON (${(error as Error).message}); fix or remove it — it was left untouched`,
    );
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`the settings file ${file} is invalid: ${z.prettifyError(parsed.error)}; it was left untouched`);
  return parsed.data;
}

/** Changes of one file in this process, one after another (the lock file then only arbitrates between processes). */
const queues = new Map<string, Promise<unknown>>();

function inTurn<T>(file: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(file) ?? Promise.resolve()).then(task, task);
  const settled = run.catch(() => undefined);
  queues.set(file, settled);
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return run;
}

export class SettingsStore {
  private constructor(
    private snapshot: StudioSettings,
    readonly file: string,
  ) {}

  static async open(userDataDir: string): Promise<SettingsStore> {
    const file = path.join(userDataDir, 'settings.json');
    return new SettingsStore(readSettings(file), file);
  }

  /** The settings as they were when the store opened or last changed them. */
  get data(): Readonly<StudioSettings> {
    return this.snapshot;
  }

  /** Applies `change` to the settings on disk and writes them; a change that leaves them invalid is refused. */
  async update(change: (draft: StudioSettings) => void): Promise<void> {
    makePrivateDir(path.dirname(this.file));
    await inTurn(this.file, () =>
      withLock(this.file, 'a settings change', LOCK_WAIT_MS, () => {
        const draft = readSettings(this.file);
        change(draft);
        const next = settingsSchema.parse(draft);
        writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
        this.snapshot = next;
      }),
    );
  }
}
