// The saved datasets' summaries, loaded when the screen opens and again after every change.
import { useCallback, useEffect, useState } from 'react';
import type { DatasetSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

export interface DatasetList {
  list: DatasetSummary[] | null;
  error: string | null;
  /** Shows an error of an action on the list (an undo that failed) where a load error goes. */
  setError: (error: string | null) => void;
  refresh: () => Promise<void>;
}

export function useDatasetList(studio: StudioApi): DatasetList {
  const [list, setList] = useState<DatasetSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setError(null);
    try {
      setList(await studio.datasets.list());
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [studio]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return { list, error, setError, refresh };
}
