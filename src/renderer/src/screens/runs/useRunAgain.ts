// "Run again with changes": reads a run's config and turns it into the New run form's values (or
// the reason it could not); `seq` tells the form that a new one arrived, even for the same run.
import { useCallback, useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { type RunAgainValues, valuesFromConfig } from './valuesFromConfig';

export type RunAgainPrefill = { seq: number; runId: string } & (RunAgainValues | { error: string });

export function useRunAgain(studio: StudioApi) {
  const [prefill, setPrefill] = useState<RunAgainPrefill | null>(null);
  const runAgain = useCallback(
    async (runId: string) => {
      const seq = Date.now();
      try {
        const detail = await studio.runs.get(runId);
        setPrefill({ seq, runId, ...valuesFromConfig(detail.config, detail.stage) });
      } catch (error) {
        setPrefill({ seq, runId, error: errorMessage(error) });
      }
    },
    [studio],
  );
  const clear = useCallback(() => setPrefill(null), []);
  return { prefill, runAgain, clear };
}

export type RunAgain = ReturnType<typeof useRunAgain>;
