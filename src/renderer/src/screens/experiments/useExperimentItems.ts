// One page of an experiment's items table, read again whenever the query changes (a typed search
// after a pause) or the experiment has judged more answers; a late answer to an older query is
// dropped, so what is shown always matches the controls.
import { useEffect, useState } from 'react';
import type { ExperimentItemPage, ExperimentItemQuery, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

/** Typing pauses this long before the table is read again. */
const SETTLE_MS = 250;

export function useExperimentItems(studio: StudioApi, id: string, query: ExperimentItemQuery, version: number) {
  const [page, setPage] = useState<ExperimentItemPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the query, by value; `version` asks for a fresh read
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      studio.experiments
        .items(id, JSON.parse(key) as ExperimentItemQuery)
        .then((next) => {
          if (!current) return;
          setPage(next);
          setError(null);
        })
        .catch((e: unknown) => current && setError(errorMessage(e)));
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [studio, id, key, version]);

  return { page, error };
}
