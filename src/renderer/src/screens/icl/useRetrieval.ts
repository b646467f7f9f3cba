// The retrieval preview's state: the ICL datasets, the query and K, and the examples retrieval picks.
import { useCallback, useEffect, useState } from 'react';
import type { DatasetItem, DatasetSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

export function useRetrieval(studio: StudioApi) {
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [dataset, setDataset] = useState('');
  const [query, setQuery] = useState('');
  const [k, setK] = useState(3);
  const [results, setResults] = useState<DatasetItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadDatasets = useCallback(() => {
    setListError(null);
    studio.datasets
      .list()
      .then((all) => {
        const icl = all.filter((d) => d.kind === 'icl-examples' && !d.damaged);
        setDatasets(icl);
        setDataset((current) => (icl.some((d) => d.name === current) ? current : (icl[0]?.name ?? '')));
      })
      .catch((e: unknown) => setListError(errorMessage(e)));
  }, [studio]);

  useEffect(loadDatasets, [loadDatasets]);

  const kValid = Number.isInteger(k) && k >= 1;
  const canRun = dataset !== '' && query.trim() !== '' && kValid && !busy;

  const preview = async () => {
    if (!canRun) return;
    setBusy(true);
    setError(null);
    try {
      setResults(await studio.retrieval.preview(dataset, query, k));
    } catch (e) {
      setResults(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return {
    datasets,
    listError,
    loadDatasets,
    dataset,
    setDataset,
    query,
    setQuery,
    k,
    setK,
    kValid,
    canRun,
    busy,
    preview,
    results,
    error,
  };
}
