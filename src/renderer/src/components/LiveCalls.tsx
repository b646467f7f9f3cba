// A running run's or experiment's calls now (in flight, queued, waiting on an overloaded server),
// its connections' limits, its time left and what it has spent, asked for every second while it runs and the window
// is visible. The service computes them (src/main/runs/liveActivity.ts); null: it is not running
// in the studio's process (a CLI run), and nothing is shown.
import { useCallback } from 'react';
import { formatDuration } from '../../../shared/duration';
import { spendText } from '../../../shared/money';
import type { StudioApi } from '../../../shared/studioApi';
import { usePolled } from '../shell/usePolled';

const EVERY_MS = 1000;

interface Props {
  /** The domain the id is in: `studio.runs` or `studio.experiments`. */
  source: Pick<StudioApi['runs'] | StudioApi['experiments'], 'activity'>;
  id: string;
  running: boolean;
}

export function LiveCalls({ source, id, running }: Props) {
  const load = useCallback(() => source.activity(id), [source, id]);
  const { value } = usePolled(load, EVERY_MS, running);
  if (!running || !value) return null;
  return (
    <p className="live-calls" data-testid="live-activity">
      <span data-testid="live-in-flight">{value.inFlight} in flight</span>
      {value.queued > 0 && <span data-testid="live-queued">{value.queued} queued</span>}
      {value.waitingOnOverload > 0 && (
        <span data-testid="live-waiting">{value.waitingOnOverload} waiting on an overloaded server</span>
      )}
      {value.backends.map((b) => (
        <span key={b.backend} title={b.reason}>
          {value.backends.length > 1 ? `${b.backend}: ` : ''}limit {b.limit} ({b.mode})
        </span>
      ))}
      <span data-testid="time-left" title="From the plan and the latencies measured so far">
        {value.timeLeftMs === null ? 'time left: measuring…' : `about ${formatDuration(value.timeLeftMs)} left`}
      </span>
      <span
        data-testid="spent"
        title="Tokens and dollars paid for so far, at the backends' prices; a replayed call counts once"
      >
        spent {spendText(value.spent, value.budget)}
      </span>
    </p>
  );
}
