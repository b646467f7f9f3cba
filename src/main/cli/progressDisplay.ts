// Progress of a run on the terminal. On a TTY, a bar of evaluated nodes against the plan, redrawn
// every second with the run's calls in flight, its connections' limits and its time left.
// Otherwise (logs, CI) one line per finished level with the same figures, and one line per
// change of a connection's limit, with why.
import cliProgress from 'cli-progress';
import { formatDuration } from '../../shared/duration.js';
import { spendText } from '../../shared/money.js';
import type { LiveActivity } from '../../shared/studioApi.js';
import type { PartialLevel } from '../engine/events.js';
import type { DownloadEvent, RunEvent } from '../store/runLog.js';
import { downloadLines, downloadText } from './downloadProgress.js';

const REDRAW_MS = 1000;

/** What a level was ranked without, in words. */
function missing({ failed, unjudged, unexpanded }: PartialLevel): string {
  const parts = [
    failed.length > 0 ? `${failed.length} failed` : '',
    unjudged.length > 0 ? `${unjudged.length} unjudged` : '',
    unexpanded.length > 0 ? `${unexpanded.length} not rewritten` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** "3 in flight, 2 queued, 1 min 20 s left, spent $0.12 of $1.00, 3,210 tokens": queued and waiting on overload only when there are some. */
function callsText(activity: LiveActivity): string {
  const parts = [`${activity.inFlight} in flight`];
  if (activity.queued > 0) parts.push(`${activity.queued} queued`);
  if (activity.waitingOnOverload > 0) parts.push(`${activity.waitingOnOverload} waiting on overload`);
  parts.push(activity.timeLeftMs === null ? 'time left: measuring' : `${formatDuration(activity.timeLeftMs)} left`);
  parts.push(`spent ${spendText(activity.spent, activity.budget)}`);
  return parts.join(', ');
}

/** "limit 4 auto", or each backend's when there are several. */
function limitsText({ backends }: LiveActivity): string {
  if (backends.length === 1) return `limit ${backends[0]!.limit} ${backends[0]!.mode}`;
  return `limits ${backends.map((b) => `${b.backend} ${b.limit} ${b.mode}`).join(', ')}`;
}

/** `activity`: the run's calls and time left now (liveActivity.ts), once its backends are open. */
export function progressDisplay(total: number, label: string, activity: () => LiveActivity | undefined) {
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label} [{bar}] {value}/{total} nodes | level {level} | best {best} | calls {calls} | {live}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  // A node that failed and was judged on its level's retry is counted once.
  const settled = new Set<string>();
  let done = 0;
  let calls = 0;
  let best = -Infinity;
  let level = 0;
  const bestText = () => (Number.isFinite(best) ? best.toFixed(2) : '-');
  // The embedding model's download, while it lasts (on a log: lines of their own).
  let download: DownloadEvent | undefined;
  const downloads = downloadLines(label);
  const payload = () => {
    const now = activity();
    return {
      level,
      best: bestText(),
      calls,
      live: download ? downloadText(download) : now ? `${limitsText(now)} | ${callsText(now)}` : 'opening backends',
    };
  };
  bar?.start(total, 0, payload());
  // Calls in flight and the time left change between events.
  const redraw = bar && setInterval(() => bar.update(done, payload()), REDRAW_MS).unref();
  return {
    onEvent(event: RunEvent) {
      if (event.type === 'download') {
        if (!tty) downloads(event);
        download = event.total !== null && event.bytes === event.total ? undefined : event;
        bar?.update(done, payload());
      }
      if (event.type === 'call') calls += event.requests;
      if (event.type === 'concurrency' && !tty)
        process.stderr.write(`${label}: ${event.backend}: limit ${event.limit} ${event.mode}: ${event.reason}\n`);
      if (event.type === 'node-evaluated' || event.type === 'node-failed') {
        settled.add(event.id);
        done = settled.size;
        if (event.type === 'node-evaluated' && event.score !== null) best = Math.max(best, event.score);
        // Carry-overs and depth extensions can add nodes beyond the plan.
        if (done > total) bar?.setTotal(done);
        bar?.update(done, payload());
      }
      if (event.type === 'beam') {
        level = event.level;
        bar?.update(done, payload());
        const now = activity();
        if (!tty)
          process.stderr.write(
            `${label}: level ${event.level} done${event.partial ? ` (partial: ${missing(event.partial)})` : ''}, ${done} nodes, best ${bestText()}, ${calls} calls${now ? `, ${callsText(now)}` : ''}\n`,
          );
      }
    },
    stop() {
      clearInterval(redraw);
      bar?.stop();
    },
  };
}
