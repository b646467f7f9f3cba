// A list a screen keeps fresh by asking the service again every few seconds (runs,
// experiments): the latest value, when it was asked for, and the error of the last failed ask.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './format';

export function usePolled<T>(
  load: () => Promise<T>,
  everyMs: number,
): { value: T | null; error: string | null; fetchedAt: number; refresh: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [fetchedAt, setFetchedAt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);

  const refresh = useCallback(() => {
    const asked = Date.now();
    load()
      .then((next) => {
        if (!mounted.current) return;
        setValue(next);
        setFetchedAt(asked);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mounted.current) setError(errorMessage(e));
      });
  }, [load]);

  useEffect(() => {
    mounted.current = true;
    refresh();
    const timer = setInterval(refresh, everyMs);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [refresh, everyMs]);

  return { value, error, fetchedAt, refresh };
}
