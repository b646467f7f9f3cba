// The prompt formats a base model can be asked in, with the label the Playground and the
// experiments' targets show. The formats themselves are the run config's (src/shared/runOptions.ts);
// a label for each is required, so a new format fails the type check until it has one.
import { PROMPT_FORMATS as FORMATS, type PromptFormat } from '../../../shared/runOptions';

export type { PromptFormat };

const LABELS: Record<PromptFormat, string> = {
  drpo: 'drpo — raw completion, # Query / # Answer (base models)',
  urial: 'urial — URIAL’s raw completion (base models)',
  'drpo-chat': 'drpo-chat — the reference’s chat path: # Query / # Answer in messages (chat models)',
  chat: 'chat — system message + examples as turns',
  'chat-no-system': 'chat-no-system — system prompt in the first user turn',
};

export const PROMPT_FORMATS: readonly { value: PromptFormat; label: string }[] = FORMATS.map((value) => ({
  value,
  label: LABELS[value],
}));
