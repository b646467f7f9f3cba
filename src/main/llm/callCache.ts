// Content cache of model calls. The key covers everything that determines a reply (backend
// identity, input, parameters, schema) and, for sampled calls, a rollout id: a resumed run
// finds its own samples again, a new run draws fresh ones.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface CachedReply {
  texts: string[];
}

export function callKey(parts: unknown): string {
  return createHash('sha256').update(stableStringify(parts)).digest('hex').slice(0, 32);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class CallCache {
  private readonly entries = new Map<string, CachedReply>();
  /** Calls on their way, by key: a second asker (any role client sharing this cache) waits for the first instead of paying twice. */
  readonly inFlight = new Map<string, Promise<string[]>>();

  /** @param file optional JSONL file that keeps deterministic replies across runs */
  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const { key, texts } = JSON.parse(line) as { key: string; texts: string[] };
          if (typeof key === 'string' && Array.isArray(texts)) this.entries.set(key, { texts });
        } catch {
          // a line cut by a killed process: the call is simply paid again
        }
      }
    }
  }

  get(key: string): CachedReply | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Remembers a reply; `persist` also writes it to the shared cache file. */
  set(key: string, reply: CachedReply, persist: boolean): void {
    this.entries.set(key, reply);
    if (persist && this.file) {
      // The user's alone, like every user-data file (store/privateFiles.ts; this layer may not import it).
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      appendFileSync(this.file, `${JSON.stringify({ key, texts: reply.texts })}\n`, { mode: 0o600 });
    }
  }
}
