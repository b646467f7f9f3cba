// A try's life: its estimate (asked again, a moment after the request changes, before Run), the
// try while it runs (the generated answer and the selection as they arrive; Cancel unsubscribes,
// which cancels it), and the tries done so far, each with the catalog it was made with, so the
// latest can be set beside the one before it ("Judge again" after an edit).
import { useEffect, useRef, useState } from 'react';
import type { AspectTryRequest, AspectTryResult, AspectTrySelection } from '../../../../../shared/aspectTry';
import type { AspectCatalogDto, StudioApi } from '../../../../../shared/studioApi';
import { useRequestEstimate } from '../../../shell/useRequestEstimate';

/** A finished try: its result, or why there is none. */
export interface TryRecord {
  /** When it finished (ms). */
  at: number;
  request: AspectTryRequest;
  /** The catalog it was made with (the draft as it was then). */
  catalog: AspectCatalogDto;
  outcome: { ok: true; result: AspectTryResult } | { ok: false; error: string };
}

export type TryProgress = { state: 'idle' } | { state: 'running'; answer?: string; selection?: AspectTrySelection };

const ESTIMATE_DELAY_MS = 250;
/** Tries kept for comparing: the latest and the one before it are what is shown. */
const KEPT = 10;

export function useAspectTry(studio: StudioApi, request: AspectTryRequest | null) {
  const { estimate, estimateError } = useRequestEstimate(
    request,
    (r: AspectTryRequest) => studio.aspects.estimateTry(r),
    ESTIMATE_DELAY_MS,
  );
  const [progress, setProgress] = useState<TryProgress>({ state: 'idle' });
  const [records, setRecords] = useState<TryRecord[]>([]);
  const activeRef = useRef<{ stop: () => void } | null>(null);

  // Leaving the screen cancels a try still running.
  useEffect(() => () => activeRef.current?.stop(), []);

  const finish = (record: Omit<TryRecord, 'at'>) => {
    activeRef.current = null;
    setProgress({ state: 'idle' });
    setRecords((r) => [...r.slice(-(KEPT - 1)), { ...record, at: Date.now() }]);
  };

  const run = (sent: AspectTryRequest) => {
    if (activeRef.current) return;
    const catalog = structuredClone(sent.catalog);
    setProgress({ state: 'running' });
    // Events of a try already cancelled (still in transit when it was) are dropped.
    const active = { stop: () => {} };
    activeRef.current = active;
    active.stop = studio.aspects.try(sent, (event) => {
      if (activeRef.current !== active) return;
      if (event.type === 'answer') setProgress((p) => ({ ...p, state: 'running', answer: event.text }));
      else if (event.type === 'selection') setProgress((p) => ({ ...p, state: 'running', selection: event.selection }));
      else if (event.type === 'done') finish({ request: sent, catalog, outcome: { ok: true, result: event.result } });
      else finish({ request: sent, catalog, outcome: { ok: false, error: event.error } });
    });
  };

  const cancel = () => {
    activeRef.current?.stop();
    activeRef.current = null;
    setProgress({ state: 'idle' });
  };

  const latest = records.at(-1);
  /** The latest try again with `catalog`: the same query, the same answer (a generated one as it came), the same roles. */
  const judgeAgain = (catalog: AspectCatalogDto) => {
    if (!latest?.outcome.ok) return;
    const { result } = latest.outcome;
    run({ ...latest.request, catalog, query: result.query, answer: { text: result.answer } });
  };

  // The try before the latest of the same example — query, answer, roles and ticked aspects —
  // which the latest is set beside: "Judge again" after an edit makes such a pair.
  const previous = latest?.outcome.ok
    ? records
        .slice(0, -1)
        .reverse()
        .find((r) => exampleKey(r) === exampleKey(latest))
    : undefined;

  return { estimate, estimateError, progress, latest, previous, run, cancel, judgeAgain };
}

/** What makes two tries the same example; null for a try without a result. */
function exampleKey(record: TryRecord): string | null {
  if (!record.outcome.ok) return null;
  const { query, answer } = record.outcome.result;
  const { judge, selector, aspects } = record.request;
  return JSON.stringify([query, answer, judge, aspects ?? null, aspects ? null : (selector ?? null)]);
}
