// Reads a plugin's raw settings (config values, or strings from the settings form) into typed
// values, with messages that name the plugin and the setting. Absent, null and blank all mean
// "not set", so a cleared form field falls back to the default.

export class SettingsReader {
  constructor(
    private readonly label: string,
    private readonly settings: Record<string, unknown>,
  ) {}

  /** An error whose message starts with the plugin's label. */
  error(message: string): Error {
    return new Error(`${this.label}: ${message}`);
  }

  /** A trimmed string, or `fallback` when not set. */
  string(key: string): string | undefined;
  string(key: string, fallback: string): string;
  string(key: string, fallback?: string): string | undefined {
    const raw = this.raw(key);
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string') throw this.error(`setting "${key}" must be a string (got ${typeof raw})`);
    const value = raw.trim();
    return value === '' ? fallback : value;
  }

  /** A string that must be set; `what` tells the user what to put there. */
  requiredString(key: string, what: string): string {
    const value = this.string(key);
    if (value === undefined) throw this.error(`setting "${key}" is required (${what})`);
    return value;
  }

  /** An integer in [min, max] (a numeric string counts), or `fallback` when not set. */
  integer(key: string, min: number, max: number): number | undefined;
  integer(key: string, min: number, max: number, fallback: number): number;
  integer(key: string, min: number, max: number, fallback?: number): number | undefined {
    const raw = this.raw(key);
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw this.error(`setting "${key}" must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    return value;
  }

  /** true or false (the strings "true" and "false" count), or `fallback` when not set. */
  boolean(key: string, fallback: boolean): boolean {
    const raw = this.raw(key);
    if (raw === undefined) return fallback;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw this.error(`setting "${key}" must be true or false (got ${JSON.stringify(raw)})`);
  }

  /** One of `choices`, or `fallback` when not set. */
  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const value = this.string(key, fallback);
    if (!(choices as readonly string[]).includes(value))
      throw this.error(
        `setting "${key}" must be ${choices.map((c) => JSON.stringify(c)).join(' or ')} (got ${JSON.stringify(value)})`,
      );
    return value as T;
  }

  /** A list of strings: an array, or one string with entries separated by commas or newlines. */
  stringList(key: string): string[] {
    const raw = this.own(key);
    const items = Array.isArray(raw)
      ? raw
      : typeof raw === 'string'
        ? raw.split(/[\n,]/)
        : raw === undefined || raw === null
          ? []
          : undefined;
    if (!items || items.some((item) => typeof item !== 'string'))
      throw this.error(`setting "${key}" must be a list of strings`);
    return (items as string[]).map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** The settings' own value (never one the object prototype lends a key such as 'constructor'). */
  private own(key: string): unknown {
    return Object.hasOwn(this.settings, key) ? this.settings[key] : undefined;
  }

  /** The raw value, undefined when not set. */
  private raw(key: string): unknown {
    const raw = this.own(key);
    return raw === undefined || raw === null || raw === '' ? undefined : raw;
  }
}
