// RewardChart, its code (and recharts) loaded on first use rather than with the runs screen.
import { type ComponentProps, lazy, Suspense } from 'react';

const Chart = lazy(() => import('./RewardChart').then((m) => ({ default: m.RewardChart })));

export function RewardChart(props: ComponentProps<typeof Chart>) {
  return (
    <Suspense fallback={<p className="runs-muted">Loading the chart…</p>}>
      <Chart {...props} />
    </Suspense>
  );
}
