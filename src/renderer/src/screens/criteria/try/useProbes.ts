// Saved probes — a query, an answer and the reward the user expects — and "Re-judge all": every
// probe judged again, one after another, with the catalog as edited, each outcome kept beside the
// previous re-judge's so the change an edit made can be read per probe. Cancel stops the one
// running and the rest.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AspectProbe, AspectTryCost, AspectTryRequest, AspectTryResult } from '../../../../../shared/aspectTry';
import type { AspectCatalogDto, StudioApi } from '../../../../../shared/studioApi';
import { errorMessage } from '../../../shell/format';

export type ProbeOutcome = { ok: true; reward: number } | { ok: false; error: string };

export interface Rejudge {
  at: number;
  outcomes: Record<string, ProbeOutcome>;
  spent: AspectTryCost;
}

/** A try as a promise; `onStop` receives what cancels it (unsubscribed, the promise rejects). */
function tryOnce(studio: StudioApi, request: AspectTryRequest, onStop: (stop: () => void) => void) {
  return new Promise<AspectTryResult>((resolve, reject) => {
    const unsubscribe = studio.aspects.try(request, (event) => {
      if (event.type === 'done') resolve(event.result);
      else if (event.type === 'error') reject(new Error(event.error));
    });
    onStop(() => {
      unsubscribe();
      reject(new Error('cancelled'));
    });
  });
}

function addCost(a: AspectTryCost, b: AspectTryCost): AspectTryCost {
  return {
    calls: a.calls + b.calls,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
  };
}

export function useProbes(studio: StudioApi) {
  const [probes, setProbes] = useState<AspectProbe[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<{ done: number; total: number } | null>(null);
  const [latest, setLatest] = useState<Rejudge | null>(null);
  const [before, setBefore] = useState<Rejudge | null>(null);
  const stopRef = useRef<(() => void) | null>(null);
  const cancelled = useRef(false);

  const load = useCallback(() => {
    studio.aspects.probes().then(
      (p) => setProbes(p),
      (e: unknown) => setError(`Cannot load the probes: ${errorMessage(e)}`),
    );
  }, [studio]);
  useEffect(load, [load]);
  useEffect(
    () => () => {
      cancelled.current = true;
      stopRef.current?.();
    },
    [],
  );

  const save = async (next: AspectProbe[]) => {
    setError(null);
    try {
      await studio.aspects.saveProbes(next);
      setProbes(next);
    } catch (e) {
      setError(`Not saved: ${errorMessage(e)}`);
    }
  };

  const add = (probe: Omit<AspectProbe, 'id'>) =>
    save([...(probes ?? []), { ...probe, id: `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` }]);
  const remove = (id: string) => save((probes ?? []).filter((p) => p.id !== id));

  const rejudgeAll = async (catalog: AspectCatalogDto, roles: { selector: string; judge: string }) => {
    const list = probes ?? [];
    if (running || list.length === 0) return;
    cancelled.current = false;
    const outcomes: Record<string, ProbeOutcome> = {};
    let spent: AspectTryCost = { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
    setRunning({ done: 0, total: list.length });
    for (const [index, probe] of list.entries()) {
      if (cancelled.current) break;
      const request: AspectTryRequest = {
        catalog,
        query: probe.query,
        answer: { text: probe.answer },
        judge: roles.judge,
        ...(probe.aspects ? { aspects: probe.aspects } : { selector: roles.selector }),
      };
      try {
        const result = await tryOnce(studio, request, (stop) => (stopRef.current = stop));
        spent = addCost(spent, result.cost);
        outcomes[probe.id] = result.judgement.ok
          ? { ok: true, reward: result.judgement.reward }
          : { ok: false, error: `the judge's reply is unusable: ${result.judgement.error}` };
      } catch (e) {
        outcomes[probe.id] = { ok: false, error: errorMessage(e) };
      }
      setRunning({ done: index + 1, total: list.length });
    }
    stopRef.current = null;
    setRunning(null);
    if (cancelled.current) return;
    setBefore(latest);
    setLatest({ at: Date.now(), outcomes, spent });
  };

  const cancel = () => {
    cancelled.current = true;
    stopRef.current?.();
  };

  return { probes, error, running, latest, before, add, remove, rejudgeAll, cancel };
}
