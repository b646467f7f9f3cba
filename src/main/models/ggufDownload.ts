// Downloads a GGUF into `<user data>/models/gguf/` with node-llama-cpp's model downloader (ipull:
// Range requests, retries of cut connections, and a resumable `<file>.ipull` that records which
// 5 MiB chunks arrived). The transfer happens in `gguf/.partial/`, which nothing lists or loads;
// the file moves into `gguf/` only once it is whole and passes checkGgufFile. A cancelled or
// stalled transfer leaves its `.ipull` for the next pull of the same source to resume; a file
// that arrives whole but is refused is removed.
import { renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { bytesOf } from '../../shared/downloadProgress.js';
import type { ModelPullEvent } from '../../shared/studioApi.js';
import { acquireLock } from '../store/exclusiveLock.js';
import { makePrivateDir } from '../store/privateFiles.js';
import { checkGgufFile } from './ggufCheck.js';
import type { ModelSource } from './modelSource.js';
import { probeSource } from './probeSource.js';

export type PullProgress = Omit<Extract<ModelPullEvent, { type: 'progress' }>, 'type'>;

export interface DownloadOptions {
  userDataDir: string;
  source: ModelSource;
  signal: AbortSignal;
  onProgress: (progress: PullProgress) => void;
  /** Given up after this long without a byte arriving (ipull itself retries for many minutes). */
  stallMs?: number;
}

/** A download stopped by its caller (Ctrl-C, the studio's Cancel); the partial file is kept. */
export class DownloadCancelledError extends Error {
  override name = 'DownloadCancelledError';
}

const STALL_MS = 60_000;
/** Progress events at most this often (ipull reports every few kilobytes). */
const PROGRESS_EVERY_MS = 250;

export const ggufDir = (userDataDir: string) => path.join(userDataDir, 'models', 'gguf');
const partialDir = (userDataDir: string) => path.join(ggufDir(userDataDir), '.partial');

/** The model's path and size once it is in `gguf/` and whole; rejects with what went wrong. */
export async function downloadGguf(options: DownloadOptions): Promise<{ path: string; sizeBytes: number }> {
  const { source, userDataDir } = options;
  const dir = ggufDir(userDataDir);
  const partial = partialDir(userDataDir);
  makePrivateDir(partial);
  // One download of a file at a time, across the studio and the CLI: two would write one .ipull.
  const lock = acquireLock(path.join(partial, source.fileName), `a download of ${source.fileName}`);
  try {
    const probe = await probeSource(source, options.signal);
    const target = path.join(dir, source.fileName);
    const existing = statSync(target, { throwIfNoEntry: false });
    if (existing) {
      if (probe.total !== undefined && existing.size !== probe.total)
        throw new Error(
          `${dir} already holds another ${source.fileName} (${existing.size} bytes, ${source.label} has ${probe.total}): remove it to download this one`,
        );
      return { path: target, sizeBytes: await checkGgufFile(target, source.label) };
    }
    checkDiskSpace(partial, source.fileName, probe.total);
    const arrived = await transfer(options, partial);
    let sizeBytes: number;
    try {
      sizeBytes = await checkGgufFile(arrived, source.label);
    } catch (error) {
      rmSync(arrived, { force: true });
      throw error;
    }
    renameSync(arrived, target);
    return { path: target, sizeBytes };
  } finally {
    lock.release();
  }
}

/** Refuses a download the disk cannot hold (what a partial file already has counts as there). */
function checkDiskSpace(partial: string, fileName: string, total: number | undefined): void {
  if (total === undefined) return;
  const kept = statSync(path.join(partial, `${fileName}.ipull`), { throwIfNoEntry: false })?.size ?? 0;
  const needed = total - Math.min(kept, total);
  const { bavail, bsize } = statfsSync(partial);
  const free = bavail * bsize;
  if (needed > free)
    throw new Error(`not enough disk space: ${fileName} needs ${mb(needed)}, ${mb(free)} free in ${partial}`);
}

const mb = (bytes: number) => bytesOf(bytes, null);

/** The ipull transfer into `partial`; resolves with the finished file's path there. */
async function transfer(options: DownloadOptions, partial: string): Promise<string> {
  const { source, signal } = options;
  const stallMs = options.stallMs ?? STALL_MS;
  const { createModelDownloader } = await import('node-llama-cpp');
  let lastSent = 0;
  let whole = false;
  const report = (status: { totalSize: number; downloadedSize: number; averageSpeed: number }) => {
    const now = Date.now();
    const done = status.totalSize > 0 && status.downloadedSize >= status.totalSize;
    if (whole || (!done && now - lastSent < PROGRESS_EVERY_MS)) return;
    lastSent = now;
    whole = done;
    options.onProgress({
      downloadedBytes: status.downloadedSize,
      ...(status.totalSize > 0 ? { totalBytes: status.totalSize } : {}),
      bytesPerSecond: Math.round(status.averageSpeed),
      // At the speed shown (ipull's average over the last 10 s); unknown until something arrived.
      ...(done
        ? { secondsLeft: 0 }
        : status.averageSpeed > 0 && status.totalSize > 0
          ? { secondsLeft: Math.ceil((status.totalSize - status.downloadedSize) / status.averageSpeed) }
          : {}),
    });
  };
  const downloader = await createModelDownloader({
    modelUri: source.url,
    dirPath: partial,
    fileName: source.fileName,
    // A finished file left here by a process that died before checking it is checked, not fetched again.
    skipExisting: true,
    deleteTempFileOnCancel: false,
    onProgress: report,
  });
  const controller = new AbortController();
  const cancel = () => controller.abort(new DownloadCancelledError('cancelled'));
  if (signal.aborted) cancel();
  signal.addEventListener('abort', cancel, { once: true });
  // Progress is a new high: a connection cut and retried again and again goes up and down without one.
  let seen = { bytes: -1, at: Date.now() };
  const watchdog = setInterval(
    () => {
      const bytes = downloader.downloadedSize;
      if (bytes > seen.bytes) seen = { bytes, at: Date.now() };
      else if (Date.now() - seen.at > stallMs) controller.abort(new Error('stalled'));
    },
    Math.min(1000, stallMs / 4),
  ).unref();
  const kept = `the partial download is kept: pull the same source again to resume`;
  try {
    await downloader.download({ signal: controller.signal });
  } catch (error) {
    if (!controller.signal.aborted) throw new Error(`${source.label}: ${transferReason(error, source)}; ${kept}`);
  } finally {
    clearInterval(watchdog);
    signal.removeEventListener('abort', cancel);
  }
  // On abort ipull stops without an error: whatever arrived stays in the .ipull file.
  if (controller.signal.aborted) {
    await downloader.cancel({ deleteTempFile: false });
    if (signal.aborted) throw new DownloadCancelledError(`cancelled; ${kept}`);
    throw new Error(
      `${source.label}: no progress for ${Math.round(stallMs / 1000)} s (the server stopped sending or keeps failing); ${kept}`,
    );
  }
  report({ totalSize: downloader.totalSize, downloadedSize: downloader.totalSize, averageSpeed: 0 });
  return downloader.entrypointFilePath;
}

/** "the disk is full", or ipull's own words (with the URL's query, which may hold a token, left out). */
function transferReason(error: unknown, source: ModelSource): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC') return 'the disk is full';
  return String(e?.message ?? error).replaceAll(source.url, source.label);
}
