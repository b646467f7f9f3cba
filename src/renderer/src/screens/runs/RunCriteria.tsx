// The reward criteria a run used: the aspect catalog recorded in its folder when it started, so an
// edit made in the Reward criteria screen afterwards never changes what this run's tree claims.
// Runs started before catalogs were recorded (and bundles that carry none) say so.
import { useEffect, useState } from 'react';
import type { AspectCatalogDto, StudioApi } from '../../../../shared/studioApi';
import { errorMessage, plural } from '../../shell/format';

type Loaded =
  | { state: 'loading' }
  | { state: 'loaded'; catalog?: AspectCatalogDto }
  | { state: 'failed'; error: string };

export function RunCriteria({ studio, runId }: { studio: StudioApi; runId: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  // Read once per run: the catalog is recorded when the run's folder is made, before it starts.
  useEffect(() => {
    setLoaded({ state: 'loading' });
    let current = true;
    studio.runs.catalog(runId).then(
      (catalog) => current && setLoaded({ state: 'loaded', catalog: catalog ?? undefined }),
      (e: unknown) => current && setLoaded({ state: 'failed', error: errorMessage(e) }),
    );
    return () => {
      current = false;
    };
  }, [studio, runId]);

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
        No reward criteria recorded for this run: runs started before runs recorded their aspect catalog (and bundles
        that carry none) have none to show.
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
