// The New run form's state: the saved connections and datasets it offers, the values being edited,
// the call estimate (cleared by any edit), and the estimate and start requests.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { ConnectionDto, DatasetSummary, RunStage, StudioApi } from '../../../../shared/studioApi';
import { concurrencyValid } from '../../shell/concurrency';
import { errorMessage } from '../../shell/format';
import { buildRunConfig, defaultValues, type NewRunValues, type RoleName } from './newRunConfig';

/** Whether values set anything of the form's folded part (per-role connections and limits, data, selections). */
function foldedSet(values: NewRunValues): boolean {
  const { roleConnections, maxTokens, jsonTextMaxChars, seedLimit, seedDataset, iclDataset, selections } = values;
  return (
    [...Object.values(roleConnections), ...Object.values(maxTokens)].some(Boolean) ||
    [jsonTextMaxChars, seedLimit, seedDataset, iclDataset, selections].some(Boolean)
  );
}

export type Estimate = Awaited<ReturnType<StudioApi['runs']['estimate']>>;

/** `initial`: values to start from ("run again with changes"); the folded part opens when they set any of it. */
export function useNewRunForm(studio: StudioApi, onStarted: (id: string) => void, initial?: NewRunValues) {
  const [connections, setConnections] = useState<Record<string, ConnectionDto> | null>(null);
  const [connectionsError, setConnectionsError] = useState<string | null>(null);
  const [values, setValues] = useState<NewRunValues>(() => initial ?? defaultValues());
  const [perRole, setPerRole] = useState(() => initial !== undefined && foldedSet(initial));
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [busy, setBusy] = useState<'estimate' | 'start' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  useEffect(() => {
    studio.datasets
      .list()
      .then((list) => setDatasets(list.filter((d) => !d.damaged)))
      .catch(() => setDatasets([])); // the starter data still serves
  }, [studio]);

  const loadConnections = useCallback(() => {
    setConnectionsError(null);
    studio.connections
      .list()
      .then((list) => {
        setConnections(list);
        setValues((v) => (v.connection && list[v.connection] ? v : { ...v, connection: Object.keys(list)[0] ?? '' }));
      })
      .catch((e: unknown) => setConnectionsError(errorMessage(e)));
  }, [studio]);
  useEffect(loadConnections, [loadConnections]);

  const update = (patch: Partial<NewRunValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setEstimate(null);
    setError(null);
  };
  const setStage = (stage: RunStage) => {
    const d = defaultValues(stage);
    update({ stage, width: d.width, samples: d.samples, depth: d.depth });
  };
  const setRole = (field: 'roleConnections' | 'maxTokens', role: RoleName, value: string) =>
    update({ [field]: { ...values[field], [role]: value } } as Partial<NewRunValues>);

  const names = connections ? Object.keys(connections) : [];
  const sizesValid =
    [values.width, values.samples, values.depth].every((n) => Number.isInteger(n) && n >= 1) &&
    Number.isInteger(values.k) &&
    values.k >= 0 &&
    concurrencyValid(values.concurrency);
  const ready = values.connection !== '' && sizesValid && busy === null;

  const request = () => ({ stage: values.stage, config: buildRunConfig(values) });

  const runEstimate = async () => {
    setBusy('estimate');
    setError(null);
    try {
      setEstimate(await studio.runs.estimate(request()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy('start');
    setError(null);
    try {
      const { id } = await studio.runs.start(request());
      onStarted(id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return {
    connections,
    connectionsError,
    loadConnections,
    names,
    datasets,
    values,
    update,
    setStage,
    setRole,
    perRole,
    setPerRole,
    ready,
    busy,
    error,
    estimate,
    runEstimate,
    start,
  };
}

export type NewRunForm = ReturnType<typeof useNewRunForm>;
