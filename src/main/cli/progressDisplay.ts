// Progress of a run on the terminal: a bar of evaluated nodes against the plan on a TTY, one
// line per finished level otherwise (logs, CI).
import cliProgress from 'cli-progress';
import type { RunEvent } from '../store/runLog.js';

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
        done += 1;
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
            `${label}: level ${event.level} done, ${done} nodes, best ${payload().best}, ${calls} calls\n`,
          );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
