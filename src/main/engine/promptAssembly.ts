// How a system prompt and K in-context examples reach the base model. One assembly serves the
// optimization and the export, so what was optimized is what ships.
//   drpo:  the reference code's raw-completion format (`# Query:` / `# Answer:` with <START>/<END>)
//   drpo-chat: the reference's chat path (its gpt-3.5 rows): the same text cut in two, the
//          instructions and examples as the system message, the query turn as the user message
//   urial: URIAL's raw-completion format (fenced queries and answers), as its code lays it out
//   chat:  system message + examples as user/assistant turns
//   chat-no-system: the same, with the system prompt folded into the first user turn
import type { Capabilities, ChatMessage, ModelInput } from '../../plugins/contract.js';
import { PROMPT_FORMATS, type PromptFormat } from '../../shared/runOptions.js';
import type { IclExample } from './types.js';

// Declared with the run config's vocabulary (shared with the renderer).
export { PROMPT_FORMATS, type PromptFormat };

export interface AlignmentSetup {
  systemPrompt: string;
  examples: readonly IclExample[];
}

export interface AssembledPrompt {
  input: ModelInput;
  stop?: string[];
}

// The reference's stop list, on both of its paths (it sends the same list to the chat API).
const DRPO_STOP = ['<END>', '<END', '<|eot_id|>'];
// URIAL's code (unified_infer.py, --urial): stop where the model starts the next turn.
const URIAL_STOP = ['# Query', '# User'];

/** The format a run uses when its config names none: the reference's chat path for a base model that cannot complete raw text. */
export function defaultPromptFormat(base: Pick<Capabilities, 'completion'>): PromptFormat {
  return base.completion ? 'drpo' : 'drpo-chat';
}

/** Whether the base model gets messages (chat API) rather than a raw text prompt. */
export function sendsChat(format: PromptFormat): boolean {
  return format === 'chat' || format === 'chat-no-system' || format === 'drpo-chat';
}

/** The reference's prompt in its two parts: instructions and examples (its system prompt), then the query turn. */
function drpoParts(setup: AlignmentSetup, query: string): { system: string; user: string } {
  const shots = setup.examples
    .map((e) => `# Query:\n${e.query}\n\n# Answer:\n<START>\n${e.answer}\n<END>\n\n`)
    .join('');
  return {
    system: `# instructions\n\n${setup.systemPrompt}\n\n${shots}`,
    user: `# Query:\n${query}\n\n# Answer:\n<START>`,
  };
}

const FENCE = '```';

/**
 * URIAL's conversation template (its "urial" template: each turn opens with a blank line, the
 * role, and a fenced message) after the prompt file, laid out as its files are (inst_1k_v4.help):
 * a file parsed by parseUrialPrompt assembles back to its own text, then the query.
 */
function urialText(setup: AlignmentSetup, query: string): string {
  const shots = setup.examples
    .map((e) => `\n# Query:\n${FENCE}\n${e.query}\n${FENCE}\n\n# Answer:\n${FENCE}\n${e.answer}\n${FENCE}\n`)
    .join('');
  return `# Instruction\n\n${setup.systemPrompt}\n${shots}\n\n# Query:\n${FENCE}\n${query}\n${FENCE}\n\n\n# Answer:\n${FENCE}\n`;
}

export function assemblePrompt(format: PromptFormat, setup: AlignmentSetup, query: string): AssembledPrompt {
  switch (format) {
    case 'drpo': {
      const { system, user } = drpoParts(setup, query);
      return { input: { kind: 'text', text: system + user }, stop: DRPO_STOP };
    }
    case 'drpo-chat': {
      const { system, user } = drpoParts(setup, query);
      const messages: ChatMessage[] = [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ];
      return { input: { kind: 'chat', messages }, stop: DRPO_STOP };
    }
    case 'urial':
      return { input: { kind: 'text', text: urialText(setup, query) }, stop: URIAL_STOP };
    case 'chat':
    case 'chat-no-system':
      return { input: { kind: 'chat', messages: chatMessages(format, setup, query) } };
  }
}

export function chatMessages(format: 'chat' | 'chat-no-system', setup: AlignmentSetup, query: string): ChatMessage[] {
  const turns: ChatMessage[] = setup.examples.flatMap((e): ChatMessage[] => [
    { role: 'user', content: e.query },
    { role: 'assistant', content: e.answer },
  ]);
  turns.push({ role: 'user', content: query });
  if (!setup.systemPrompt) return turns;
  if (format === 'chat') return [{ role: 'system', content: setup.systemPrompt }, ...turns];
  const [first, ...rest] = turns;
  return [{ role: 'user', content: `${setup.systemPrompt}\n\n${first!.content}` }, ...rest];
}

/** The answer as the user should see it: the format's markers removed. */
export function cleanAnswer(format: PromptFormat, text: string): string {
  if (format === 'drpo' || format === 'drpo-chat') {
    // The reference stops at the first "<END" (a server without stop strings runs past it).
    const end = text.indexOf('<END');
    return (end === -1 ? text : text.slice(0, end)).replace(/<START>/g, '').trim();
  }
  if (format === 'urial') return withoutClosingFence(text.trimEnd()).trim();
  return text.trim();
}

/**
 * URIAL's answer block ends with the template's closing fence before the next "# Query" (URIAL
 * keeps it; only whitespace is stripped). It is the last line and leaves the fence lines odd:
 * an answer whose own code block ends it (fences paired) keeps its fence.
 */
function withoutClosingFence(answer: string): string {
  const lines = answer.split('\n');
  const fences = lines.filter((line) => line.trimStart().startsWith(FENCE)).length;
  return lines.at(-1)?.trim() === FENCE && fences % 2 === 1 ? lines.slice(0, -1).join('\n') : answer;
}
