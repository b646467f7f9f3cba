// The prompt formats a base model can be asked in: the Playground and the experiments' targets offer the same list.
import type { PlaygroundRequest } from '../../../shared/studioApi';

export type PromptFormat = PlaygroundRequest['promptFormat'];
export const PROMPT_FORMATS: readonly { value: PromptFormat; label: string }[] = [
  { value: 'drpo', label: 'drpo — raw completion, # Query / # Answer (base models)' },
  { value: 'urial', label: 'urial — URIAL’s raw completion (base models)' },
  { value: 'chat', label: 'chat — system message + examples as turns' },
  { value: 'chat-no-system', label: 'chat-no-system — system prompt in the first user turn' },
];
