// Searching and filtering the Runs and Experiments lists. The search matches every word typed
// (in any order, case and accents ignored) against an item's name, notes, id and, for a run, its
// best prompt so far, for an experiment its setups and targets. The status filter groups the two
// finished statuses under "finished"; the stage filter is the Runs list's only.
import type { ExperimentSummary, RunStage, RunStatus, RunSummary } from './studioApi.js';

export const STATUS_FILTERS = ['all', 'running', 'paused', 'finished', 'failed', 'cancelled', 'damaged'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type StageFilter = 'all' | RunStage;

export interface ListFilter {
  query: string;
  status: StatusFilter;
  stage: StageFilter;
}

export const NO_FILTER: ListFilter = { query: '', status: 'all', stage: 'all' };

/** Lower case, accents off: "Résumé" finds "resume". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Every word of `query` occurs in one of `texts` (an empty query matches everything). */
export function matchesQuery(query: string, texts: readonly (string | undefined)[]): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold(texts.filter((t): t is string => Boolean(t)).join('\n'));
  return words.every((word) => haystack.includes(word));
}

export function matchesStatus(filter: StatusFilter, status: RunStatus): boolean {
  if (filter === 'all') return true;
  if (filter === 'finished') return status === 'finished' || status === 'finished-with-failures';
  return status === filter;
}

export function runMatches(run: RunSummary, filter: ListFilter): boolean {
  return (
    matchesStatus(filter.status, run.status) &&
    (filter.stage === 'all' || run.stage === filter.stage) &&
    matchesQuery(filter.query, [run.name, run.notes, run.id, run.bestPrompt])
  );
}

export function experimentMatches(experiment: ExperimentSummary, filter: ListFilter): boolean {
  return (
    matchesStatus(filter.status, experiment.status) &&
    matchesQuery(filter.query, [
      experiment.name,
      experiment.notes,
      experiment.id,
      ...experiment.setups,
      ...experiment.targets,
    ])
  );
}

/** The filter is not NO_FILTER: the list may hide items. */
export function isFiltering(filter: ListFilter): boolean {
  return filter.query.trim() !== '' || filter.status !== 'all' || filter.stage !== 'all';
}
