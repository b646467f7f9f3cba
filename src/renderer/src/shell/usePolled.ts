// A value a screen keeps fresh by asking the service again every so often (the runs list, a
// running run's calls): the latest value, when it was asked for, and the error of the last failed
// ask. It asks only while `active` and while the window is visible (a hidden one would ask for
// nothing anyone sees), and at once when either comes back.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './format';

export function usePolled<T>(
  load: () => Promise<T>,
  everyMs: number,
  active = true,
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
    let timer: ReturnType<typeof setInterval> | undefined;
    const follow = () => {
      clearInterval(timer);
      timer = undefined;
      if (!active || document.hidden) return;
      refresh();
      timer = setInterval(refresh, everyMs);
    };
    follow();
    document.addEventListener('visibilitychange', follow);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', follow);
    };
  }, [refresh, everyMs, active]);

  return { value, error, fetchedAt, refresh };
}
