// ScoreDistributions, its code (and recharts) loaded on first use rather than with the experiments screen.
import { type ComponentProps, lazy, Suspense } from 'react';

const Charts = lazy(() => import('./ScoreDistributions').then((m) => ({ default: m.ScoreDistributions })));

export function ScoreDistributions(props: ComponentProps<typeof Charts>) {
  return (
    <Suspense fallback={<p className="muted small">Loading the charts…</p>}>
      <Charts {...props} />
    </Suspense>
  );
}
