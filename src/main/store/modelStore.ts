// Models of the hub kept in the user-data folder: `<userDataDir>/models/<owner>/<name>/` in the
// layout transformers.js loads (config.json, tokenizer.json, tokenizer_config.json,
// onnx/model.onnx). Downloaded once, on first use, then reused with no request. A folder counts
// as complete only once its marker names every file with its length; the marker is written last,
// after every file arrived whole and passed `verify`, so a cut connection or a killed process
// leaves a folder that the next use downloads again.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { hubBaseUrl, type OpenedFile, openHubFile, PART_FILE } from './hubDownload.js';
import { makePrivateDir, writeFileAtomic } from './privateFiles.js';

/** What a feature-extraction pipeline of transformers.js reads (fp32 weights, on the CPU). */
const HUB_MODEL_FILES = ['config.json', 'tokenizer_config.json', 'tokenizer.json', 'onnx/model.onnx'] as const;
/** Files that must be JSON objects: an error page or a truncated file is refused before it is kept. */
const JSON_FILES = new Set<string>(['config.json', 'tokenizer_config.json', 'tokenizer.json']);
const MARKER = '.complete.json';

const markerSchema = z.object({ model: z.string(), files: z.record(z.string(), z.number().int().nonnegative()) });

/** Where a download stands: each file's bytes so far, and all files' together. */
export interface DownloadProgress {
  model: string;
  file: string;
  fileBytes: number;
  /** null while the server has not announced the file's length. */
  fileTotal: number | null;
  bytes: number;
  total: number | null;
}

/** `<userDataDir>/models/<owner>/<name>`; refuses an id that would lead elsewhere. */
export function hubModelDir(userDataDir: string, model: string): string {
  const parts = model.split('/');
  if (parts.length !== 2 || parts.some((p) => !/^[\w.-]+$/.test(p) || p === '.' || p === '..'))
    throw new Error(`not a hub model id (owner/name): ${JSON.stringify(model)}`);
  return path.join(userDataDir, 'models', ...parts);
}

/** The model's folder when it is complete (its marker names every file, each of that length); no request is made. */
export function readyHubModel(userDataDir: string, model: string): string | undefined {
  const dir = hubModelDir(userDataDir, model);
  let marker: z.infer<typeof markerSchema>;
  try {
    marker = markerSchema.parse(JSON.parse(readFileSync(path.join(dir, MARKER), 'utf8')));
  } catch {
    return undefined;
  }
  const whole = HUB_MODEL_FILES.every((file) => {
    const size = marker.files[file];
    const info = statSync(path.join(dir, file), { throwIfNoEntry: false });
    return size !== undefined && info?.isFile() && info.size === size;
  });
  return marker.model === model && whole ? dir : undefined;
}

interface EnsureOptions {
  userDataDir: string;
  model: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Checks the downloaded folder (e.g. loads the model) before it is marked complete; a throw leaves it unmarked. */
  verify?: (dir: string) => Promise<void>;
}

/** Downloads in progress in this process, by folder: two runs needing the same model share one. */
const inFlight = new Map<string, Promise<string>>();

/** The model's folder, downloaded first unless complete already. Rejects with the reason it cannot be had. */
export async function ensureHubModel(options: EnsureOptions): Promise<string> {
  const ready = readyHubModel(options.userDataDir, options.model);
  if (ready) return ready;
  const dir = hubModelDir(options.userDataDir, options.model);
  const pending = inFlight.get(dir) ?? download(dir, options).finally(() => inFlight.delete(dir));
  inFlight.set(dir, pending);
  return pending;
}

async function download(dir: string, options: EnsureOptions): Promise<string> {
  const { model } = options;
  const base = hubBaseUrl();
  makePrivateDir(dir);
  rmSync(path.join(dir, MARKER), { force: true });
  removeDeadParts(dir);
  const controller = new AbortController();
  const stop = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    // Every file's headers first: a missing file fails before anything is written, and the total is known.
    const opened = await Promise.all(HUB_MODEL_FILES.map((file) => openHubFile(base, model, file, controller.signal)));
    const total = opened.every((f) => f.total !== null)
      ? opened.reduce((sum, f) => sum + (f.total as number), 0)
      : null;
    const done = new Map<string, number>();
    const report = (file: OpenedFile, fileBytes: number) => {
      done.set(file.file, fileBytes);
      const bytes = [...done.values()].reduce((a, b) => a + b, 0);
      options.onProgress?.({ model, file: file.file, fileBytes, fileTotal: file.total, bytes, total });
    };
    // The first fault stops the other files, and is the one reported once they have cleaned up.
    let fault: unknown;
    const saved = await Promise.allSettled(
      opened.map(async (file) => {
        try {
          await file.save(path.join(dir, file.file), (bytes) => report(file, bytes));
        } catch (error) {
          fault ??= error;
          controller.abort();
          throw error;
        }
        if (file.total === 0) report(file, 0);
      }),
    );
    if (saved.some((s) => s.status === 'rejected')) throw fault;
    for (const file of JSON_FILES) readJsonObject(dir, file);
    await options.verify?.(dir);
    const files = Object.fromEntries(HUB_MODEL_FILES.map((f) => [f, statSync(path.join(dir, f)).size]));
    writeFileAtomic(path.join(dir, MARKER), `${JSON.stringify({ model, files }, null, 2)}\n`);
    return dir;
  } catch (error) {
    controller.abort();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

function readJsonObject(dir: string, file: string): void {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${file}: not a JSON object`);
}

/** Temporary files a killed download left (its process is gone); a live one's are left alone. */
function removeDeadParts(dir: string): void {
  const walk = (folder: string): void => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      const pid = PART_FILE.exec(entry.name)?.[1];
      if (entry.isFile() && pid && !alive(Number(pid))) rmSync(full, { force: true });
    }
  };
  walk(dir);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
