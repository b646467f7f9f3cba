// Progress of a run on the terminal: a bar of evaluated nodes against the plan on a TTY, one
// line per finished level otherwise (logs, CI).
import cliProgress from 'cli-progress';
import type { PartialLevel } from '../engine/events.js';
import type { RunEvent } from '../store/runLog.js';

/** What a level was ranked without, in words. */
function missing({ failed, unjudged, unexpanded }: PartialLevel): string {
  const parts = [
    failed.length > 0 ? `${failed.length} failed` : '',
    unjudged.length > 0 ? `${unjudged.length} unjudged` : '',
    unexpanded.length > 0 ? `${unexpanded.length} not rewritten` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

export function progressDisplay(total: number, label: string) {
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label} [{bar}] {value}/{total} nodes | level {level} | best {best} | calls {calls}`,
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
  bar?.start(total, 0, { level, best: '-', calls });
  const payload = () => ({ level, best: Number.isFinite(best) ? best.toFixed(2) : '-', calls });
  return {
    onEvent(event: RunEvent) {
      if (event.type === 'call') calls += event.requests;
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
        if (!tty)
          process.stderr.write(
            `${label}: level ${event.level} done${event.partial ? ` (partial: ${missing(event.partial)})` : ''}, ${done} nodes, best ${payload().best}, ${calls} calls\n`,
          );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
