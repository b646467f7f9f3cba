// The New experiment form's state: the connections, evaluation sets and finished runs it offers,
// the values being edited (setups, targets, judge), what stops a start, and the start itself.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { hasFinished } from '../../../../shared/runStatus';
import type { ConnectionDto, DatasetSummary, RunSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import {
  buildExperimentConfig,
  defaultExperimentValues,
  formProblem,
  type NewExperimentValues,
  newSetup,
  newTarget,
  type SetupKind,
  type SetupRow,
  type TargetRow,
} from './experimentForm';

export function useNewExperiment(studio: StudioApi, onStarted: (id: string) => void) {
  const [connections, setConnections] = useState<Record<string, ConnectionDto> | null>(null);
  const [evalSets, setEvalSets] = useState<DatasetSummary[]>([]);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [values, setValues] = useState<NewExperimentValues>(() => defaultExperimentValues());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setLoadError(null);
    Promise.all([studio.connections.list(), studio.datasets.list(), studio.runs.list()])
      .then(([list, datasets, allRuns]) => {
        setConnections(list);
        const sets = datasets.filter((d) => d.kind === 'eval-set' && !d.damaged);
        setEvalSets(sets);
        setRuns(allRuns.filter((r) => r.stage === 'system-prompt' && hasFinished(r.status)));
        const first = Object.keys(list)[0] ?? '';
        setValues((v) => ({
          ...v,
          dataset: v.dataset || (sets[0]?.name ?? ''),
          evalSource: sets.length === 0 && !v.dataset ? 'file' : v.evalSource,
          targets: v.targets.map((t) =>
            t.connection && list[t.connection]
              ? t
              : { ...t, connection: first, name: t.name === 'target' && first ? first : t.name },
          ),
          judge: v.judge.connection && list[v.judge.connection] ? v.judge : { ...v.judge, connection: first },
        }));
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, [studio]);
  useEffect(load, [load]);

  const update = (patch: Partial<NewExperimentValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setError(null);
  };
  const setSetup = (index: number, patch: Partial<SetupRow>) => {
    const setups = values.setups.map((s, i) => (i === index ? { ...s, ...patch } : s));
    // The baseline follows its setup's renaming.
    const renamed = patch.name !== undefined && values.setups[index]!.name === values.baseline;
    update({ setups, ...(renamed ? { baseline: patch.name } : {}) });
  };
  const setTarget = (index: number, patch: Partial<TargetRow>) =>
    update({ targets: values.targets.map((t, i) => (i === index ? { ...t, ...patch } : t)) });
  const addSetup = (kind: SetupKind) =>
    update({
      setups: [
        ...values.setups,
        newSetup(
          kind,
          values.setups.map((s) => s.name),
        ),
      ],
    });
  const removeSetup = (index: number) => {
    const setups = values.setups.filter((_, i) => i !== index);
    update({
      setups,
      baseline: setups.some((s) => s.name === values.baseline) ? values.baseline : (setups[0]?.name ?? ''),
    });
  };

  const names = connections ? Object.keys(connections) : [];
  const addTarget = () =>
    update({
      targets: [
        ...values.targets,
        newTarget(
          names[0] ?? '',
          values.targets.map((t) => t.name),
        ),
      ],
    });
  const removeTarget = (index: number) => update({ targets: values.targets.filter((_, i) => i !== index) });
  const problem = formProblem(values);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { id } = await studio.experiments.start({ config: buildExperimentConfig(values) });
      onStarted(id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return {
    connections,
    names,
    evalSets,
    runs,
    loadError,
    load,
    values,
    update,
    setSetup,
    addSetup,
    removeSetup,
    setTarget,
    addTarget,
    removeTarget,
    problem,
    busy,
    error,
    start,
  };
}

export type NewExperiment = ReturnType<typeof useNewExperiment>;
