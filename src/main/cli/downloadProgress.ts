// A model's download on the terminal: "downloading owner/name: 120.3 of 418.5 MB (onnx/model.onnx
// 119.6 of 417.7 MB)", as a line when each file is done and at each tenth of the whole between
// (on a terminal, a run's progress bar shows the same text instead).
import { bytesOf } from '../../shared/downloadProgress.js';
import type { DownloadEvent, RunEvent } from '../store/runLog.js';

export function downloadText(event: DownloadEvent): string {
  return `downloading ${event.model}: ${bytesOf(event.bytes, event.total)} (${event.file} ${bytesOf(event.fileBytes, event.fileTotal)})`;
}

/** Writes download events to standard error as lines, a few per download. */
export function downloadLines(label: string): (event: RunEvent) => void {
  let tenth = -1;
  return (event) => {
    if (event.type !== 'download') return;
    const now = event.total ? Math.floor((event.bytes * 10) / event.total) : -1;
    const fileDone = event.fileTotal !== null && event.fileBytes === event.fileTotal;
    if (!fileDone && now <= tenth) return;
    tenth = Math.max(tenth, now);
    process.stderr.write(`${label}: ${downloadText(event)}\n`);
  };
}
