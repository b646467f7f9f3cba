// The reward criteria a run used: the aspect catalog recorded in its folder when it started, so an
// edit made in the Reward criteria screen afterwards never changes what this run's tree claims.
// Runs started before catalogs were recorded say so.
import { useEffect, useState } from 'react';
import type { AspectCatalogDto, RunStatus, StudioApi } from '../../../../shared/studioApi';
import { errorMessage, plural } from '../../shell/format';

type Loaded =
  | { state: 'loading' }
  | { state: 'loaded'; catalog?: AspectCatalogDto }
  | { state: 'failed'; error: string };

export function RunCriteria({ studio, runId, status }: { studio: StudioApi; runId: string; status: RunStatus | null }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when the status moves (a run just started may not have written its record yet)
  useEffect(() => {
    let current = true;
    studio.runs.get(runId).then(
      (detail) => current && setLoaded({ state: 'loaded', catalog: detail.catalog }),
      (e: unknown) => current && setLoaded({ state: 'failed', error: errorMessage(e) }),
    );
    return () => {
      current = false;
    };
  }, [studio, runId, status]);

  if (loaded.state === 'loading') return null;
  if (loaded.state === 'failed')
    return (
      <p className="runs-muted" data-testid="run-criteria">
        Cannot read the criteria this run used: {loaded.error}
      </p>
    );
  const { catalog } = loaded;
  if (!catalog)
    return (
      <p className="runs-muted" data-testid="run-criteria">
        No reward criteria recorded: this run is older than runs that record their aspect catalog.
      </p>
    );
  const enabled = catalog.aspects.filter((a) => a.enabled);
  return (
    <details className="run-criteria" data-testid="run-criteria">
      <summary>
        Reward criteria this run used: {plural(enabled.length, 'aspect')} enabled of {catalog.aspects.length}
        {catalog.staticAspects.length > 0 && ` · static set ${catalog.staticAspects.join(', ')}`}
      </summary>
      <ul className="run-criteria__list">
        {catalog.aspects.map((a) => (
          <li key={a.name} className={a.enabled ? undefined : 'muted'} data-testid={`run-criteria-${a.name}`}>
            <strong>{a.name}</strong>
            {a.enabled ? '' : ' (disabled)'} — {a.description}
            {a.rubric && <div className="small">Rubric: {a.rubric}</div>}
          </li>
        ))}
      </ul>
    </details>
  );
}
