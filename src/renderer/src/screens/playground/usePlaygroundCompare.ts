// One compare at a time: the two streamed answers, started with run and ended by stop, by both
// sides ending, or by leaving the screen. Events of an earlier (stopped) compare are dropped.
import { useEffect, useRef, useState } from 'react';
import type { PlaygroundEvent, PlaygroundRequest, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { type Answer, applyEvent, idleAnswers, isPending, SIDES, type Side, waitingAnswers } from './playgroundModel';

export function usePlaygroundCompare(studio: StudioApi) {
  const [answers, setAnswers] = useState<Record<Side, Answer>>(idleAnswers);
  const [startError, setStartError] = useState<string | null>(null);
  const unsubscribe = useRef<(() => void) | null>(null);
  /** Which compare the listener belongs to. */
  const generation = useRef(0);

  const running = SIDES.some((side) => isPending(answers[side]));

  // Both sides ended (done or failed): the subscription has nothing more to say.
  useEffect(() => {
    if (!running && unsubscribe.current) {
      unsubscribe.current();
      unsubscribe.current = null;
    }
  }, [running]);

  // Leaving the screen stops a compare in flight.
  useEffect(
    () => () => {
      generation.current += 1;
      unsubscribe.current?.();
      unsubscribe.current = null;
    },
    [],
  );

  const run = (request: PlaygroundRequest) => {
    generation.current += 1;
    const mine = generation.current;
    setStartError(null);
    setAnswers(waitingAnswers());
    try {
      unsubscribe.current = studio.playground.compare(request, (event: PlaygroundEvent) => {
        if (generation.current === mine) setAnswers((current) => applyEvent(current, event));
      });
    } catch (e) {
      unsubscribe.current = null;
      setStartError(errorMessage(e));
      setAnswers(idleAnswers());
    }
  };

  const stop = () => {
    generation.current += 1;
    unsubscribe.current?.();
    unsubscribe.current = null;
    setAnswers((current) => {
      const next = { ...current };
      for (const side of SIDES) if (isPending(current[side])) next[side] = { ...current[side], status: 'stopped' };
      return next;
    });
  };

  return { answers, running, startError, run, stop };
}
