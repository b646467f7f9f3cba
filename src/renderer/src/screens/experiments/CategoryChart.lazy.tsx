// CategoryChart, its code (and recharts) loaded on first use rather than with the experiments screen.
import { type ComponentProps, lazy, Suspense } from 'react';

const Chart = lazy(() => import('./CategoryChart').then((m) => ({ default: m.CategoryChart })));

export function CategoryChart(props: ComponentProps<typeof Chart>) {
  return (
    <Suspense fallback={<p className="muted small">Loading the chart…</p>}>
      <Chart {...props} />
    </Suspense>
  );
}
