// The estimate of a request as it stands (what a check or a try would cost, before it is started):
// asked again whenever the request changes — after `delayMs`, so typing does not ask per key — and
// dropped, with its error, as soon as the request it answered is no longer the current one.
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from './format';

export function useRequestEstimate<Request, Estimate>(
  request: Request | null,
  ask: (request: Request) => Promise<Estimate>,
  delayMs = 0,
): { estimate: Estimate | null; estimateError: string | null } {
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [estimateError, setEstimateError] = useState<string | null>(null);
  // Keyed by content: a request rebuilt with the same values is the same request.
  const key = request === null ? null : JSON.stringify(request);
  // Read when the key changes: a caller's inline function is a new one at every render.
  const askRef = useRef(ask);
  askRef.current = ask;
  useEffect(() => {
    setEstimate(null);
    setEstimateError(null);
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      askRef
        .current(JSON.parse(key) as Request)
        .then((e) => current && setEstimate(e))
        .catch((e: unknown) => current && setEstimateError(errorMessage(e)));
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, delayMs]);
  return { estimate, estimateError };
}
