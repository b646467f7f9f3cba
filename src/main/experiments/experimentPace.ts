// An experiment's plan as its time-left estimate reads it (runs/timeLeft.ts): every setup on every
// target answers every item (a base call on the target's backend), and the judge scores each
// answer; an item's answer and judgment are the one chain of calls it waits on.
import type { PacePlan, RoleWork } from '../runs/timeLeft.js';
import type { ExperimentConfig } from './experimentConfig.js';

export function experimentPacePlan(config: ExperimentConfig, setups: number, items: number): PacePlan {
  const judge: RoleWork = { role: 'judge', backend: config.judge.backend };
  const targetWork = new Map(
    config.targets.map((t): [string, RoleWork] => [t.name, { role: 'base', backend: t.backend }]),
  );
  // Targets on one backend share its work.
  const answers = new Map<string, number>();
  for (const { backend } of targetWork.values()) answers.set(backend, (answers.get(backend) ?? 0) + setups * items);
  return {
    work: [
      ...[...answers].map(([backend, samples]) => ({ role: 'base' as const, backend, samples })),
      { ...judge, samples: config.targets.length * setups * items },
    ],
    done(event) {
      if (event.type === 'eval-answer') {
        const answer = targetWork.get(event.target);
        return answer ? [answer] : [];
      }
      return event.type === 'eval-judged' || event.type === 'eval-unjudged' ? [judge] : [];
    },
    searches: [''],
    levels: 1,
    chain: { root: ['base', 'judge'], level: [] },
    stopWhenPerfect: false,
  };
}
