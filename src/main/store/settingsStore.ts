// The studio's settings document (<user data>/settings.json, lowdb): enabled user plugins,
// saved connections (secrets only as "env:NAME" references) and price overrides. Writes are
// atomic (write a temporary file, then rename); a file that does not parse is reported and
// left as it is, never overwritten.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { z } from 'zod';

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
});
export type StudioSettings = z.infer<typeof settingsSchema>;

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DRPO_STUDIO_HOME ?? path.join(homedir(), '.drpo-studio');
}

export class SettingsStore {
  private constructor(
    private readonly db: Low<StudioSettings>,
    readonly file: string,
  ) {}

  static async open(userDataDir: string): Promise<SettingsStore> {
    const file = path.join(userDataDir, 'settings.json');
    let initial: StudioSettings = settingsSchema.parse({});
    if (existsSync(file)) {
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
        throw new Error(
          `the settings file ${file} is invalid: ${z.prettifyError(parsed.error)}; it was left untouched`,
        );
      initial = parsed.data;
    }
    return new SettingsStore(new Low(new JSONFile<StudioSettings>(file), initial), file);
  }

  get data(): Readonly<StudioSettings> {
    return this.db.data;
  }

  /** Changes the settings and writes them atomically; a change that leaves them invalid is refused. */
  async update(change: (draft: StudioSettings) => void): Promise<void> {
    const draft = structuredClone(this.db.data);
    change(draft);
    this.db.data = settingsSchema.parse(draft);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(this.file), { recursive: true });
    await this.db.write();
  }
}
