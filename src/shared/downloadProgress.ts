// A hub model's download as a run logs it (the `download` event, main/store/runLog.ts): its figures
// in words, one wording for the CLI and the studio, and what a run's view shows of it. No zod here:
// the renderer's CSP forbids eval, which zod's object parser tries (a console error each time).
import { formatDuration } from './duration.js';
import type { ModelPullEvent, RunEventMessage } from './studioApi.js';

/** "12.3 of 418.5 MB", in the unit of the larger figure (kB below a megabyte); "12.3 MB" without a total. */
export function bytesOf(bytes: number, total: number | null): string {
  const [unit, size] = Math.max(bytes, total ?? 0) >= 1e6 ? ['MB', 1e6] : ['kB', 1e3];
  const show = (n: number) => (n / size).toFixed(1);
  return total === null ? `${show(bytes)} ${unit}` : `${show(bytes)} of ${show(total)} ${unit}`;
}

/** A model pull's progress in words: "120.3 of 398.0 MB, 5.2 MB/s, 53 s left". */
export function pullProgressText(p: Omit<Extract<ModelPullEvent, { type: 'progress' }>, 'type'>): string {
  const left = p.secondsLeft === undefined ? 'time left: measuring' : `${formatDuration(p.secondsLeft * 1000)} left`;
  return `${bytesOf(p.downloadedBytes, p.totalBytes ?? null)}, ${bytesOf(p.bytesPerSecond, null)}/s, ${left}`;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export interface DownloadShown {
  model: string;
  bytes: number;
  /** null while the server has not announced the lengths. */
  total: number | null;
}

/**
 * What a run's view shows of the download after `event`, the run's latest: the download's figures
 * while it is unfinished. It is over once its bytes reach its total or once the run logs anything
 * else (the retriever opens before the search starts, so its next event, a node or the warning of
 * a fallback to BM25, comes after the download's end). A download event whose figures are not counts shows
 * nothing rather than guessed figures.
 */
export function downloadAfter(event: RunEventMessage): DownloadShown | null {
  if (event.type !== 'download') return null;
  const { model, bytes, total } = event;
  if (typeof model !== 'string' || !isCount(bytes) || !(total === null || isCount(total))) return null;
  return total !== null && bytes >= total ? null : { model, bytes, total };
}
