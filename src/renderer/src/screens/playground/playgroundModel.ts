// Pure state helpers of the Playground: the two setups, the streamed answers, and how a
// playground event changes them.
import type { PlaygroundEvent, RunDetail, SetupDto } from '../../../../shared/studioApi';

export type Side = 'a' | 'b';
export const SIDES: readonly Side[] = ['a', 'b'];

export const BASE_SYSTEM_PROMPT = 'You are a helpful assistant.';
export const DEFAULT_K = 2;

/** A setup as the form edits it: no ICL dataset is the empty string. */
export interface SetupForm {
  systemPrompt: string;
  iclDataset: string;
  k: number;
  /** The run whose best prompt filled the system prompt, if one did (only a label). */
  fromRun: string | null;
}

export function defaultSetups(): Record<Side, SetupForm> {
  return {
    a: { systemPrompt: BASE_SYSTEM_PROMPT, iclDataset: '', k: DEFAULT_K, fromRun: null },
    b: { systemPrompt: '', iclDataset: '', k: DEFAULT_K, fromRun: null },
  };
}

export function toSetupDto(form: SetupForm): SetupDto {
  return form.iclDataset
    ? { systemPrompt: form.systemPrompt, iclDataset: form.iclDataset, k: form.k }
    : { systemPrompt: form.systemPrompt };
}

export function validK(k: number): boolean {
  return Number.isInteger(k) && k >= 1;
}

export type AnswerStatus = 'idle' | 'waiting' | 'streaming' | 'done' | 'error' | 'stopped';

export interface Answer {
  status: AnswerStatus;
  text: string;
  /** The queries of the ICL examples put before the query (from the `done` event). */
  examples: string[] | null;
  error: string | null;
}

export const IDLE_ANSWER: Answer = { status: 'idle', text: '', examples: null, error: null };

export function idleAnswers(): Record<Side, Answer> {
  return { a: IDLE_ANSWER, b: IDLE_ANSWER };
}

export function waitingAnswers(): Record<Side, Answer> {
  return { a: { ...IDLE_ANSWER, status: 'waiting' }, b: { ...IDLE_ANSWER, status: 'waiting' } };
}

export function isPending(answer: Answer): boolean {
  return answer.status === 'waiting' || answer.status === 'streaming';
}

/** The answers after one event: chunks append, `done` replaces the text with the cleaned answer. */
export function applyEvent(answers: Record<Side, Answer>, event: PlaygroundEvent): Record<Side, Answer> {
  const current = answers[event.side];
  if (!isPending(current)) return answers; // late events after a stop or an end
  let next: Answer;
  switch (event.type) {
    case 'chunk':
      next = { ...current, status: 'streaming', text: current.text + event.text };
      break;
    case 'done':
      next = { status: 'done', text: event.text, examples: event.examples, error: null };
      break;
    case 'error':
      next = { ...current, status: 'error', error: event.error };
      break;
  }
  return { ...answers, [event.side]: next };
}

/** A finished system-prompt run's best prompt, or null when its result has none. */
export function bestPromptOf(detail: RunDetail): string | null {
  const result = detail.result;
  if (typeof result !== 'object' || result === null) return null;
  const best = (result as { bestPrompt?: unknown }).bestPrompt;
  return typeof best === 'string' ? best : null;
}
