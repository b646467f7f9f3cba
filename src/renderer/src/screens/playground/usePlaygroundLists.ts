// What the Playground offers: the saved connections (and the one chosen), the ICL-example datasets
// and the finished system-prompt runs; each list's load error is noted apart.
import { useCallback, useEffect, useState } from 'react';
import { hasFinished } from '../../../../shared/runStatus';
import type { ConnectionDto, DatasetSummary, RunSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

export function usePlaygroundLists(studio: StudioApi) {
  const [connections, setConnections] = useState<Record<string, ConnectionDto> | null>(null);
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [loadErrors, setLoadErrors] = useState<string[]>([]);
  const [connection, setConnection] = useState('');

  const load = useCallback(() => {
    const errors: string[] = [];
    const note = (what: string) => (e: unknown) => {
      errors.push(`${what}: ${errorMessage(e)}`);
      setLoadErrors([...errors]);
    };
    setLoadErrors([]);
    studio.connections
      .list()
      .then((list) => {
        setConnections(list);
        setConnection((current) => (current && Object.hasOwn(list, current) ? current : (Object.keys(list)[0] ?? '')));
      })
      .catch(note('Connections'));
    studio.datasets
      .list()
      .then((list) =>
        setDatasets(
          list.filter((d) => d.kind === 'icl-examples' && !d.damaged).sort((x, y) => x.name.localeCompare(y.name)),
        ),
      )
      .catch(note('Datasets'));
    studio.runs
      .list()
      .then((list) =>
        setRuns(
          list
            .filter((r) => r.stage === 'system-prompt' && hasFinished(r.status))
            .sort((x, y) => y.createdAt - x.createdAt),
        ),
      )
      .catch(note('Runs'));
  }, [studio]);

  useEffect(load, [load]);

  return { connections, datasets, runs, loadErrors, load, connection, setConnection };
}
