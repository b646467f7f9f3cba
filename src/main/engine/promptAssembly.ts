// How a system prompt and K in-context examples reach the base model. One assembly serves the
// optimization and the export, so what was optimized is what ships.
//   drpo:  the reference code's raw-completion format (`# Query:` / `# Answer:` with <START>/<END>)
//   urial: URIAL's raw-completion format (fenced queries and answers)
//   chat:  system message + examples as user/assistant turns
//   chat-no-system: the same, with the system prompt folded into the first user turn
import type { ChatMessage, ModelInput } from '../../plugins/contract.js';
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

const DRPO_STOP = ['<END>', '<END', '<|eot_id|>'];
const URIAL_STOP = ['```', '# Query'];

export function assemblePrompt(format: PromptFormat, setup: AlignmentSetup, query: string): AssembledPrompt {
  switch (format) {
    case 'drpo': {
      const shots = setup.examples
        .map((e) => `# Query:\n${e.query}\n\n# Answer:\n<START>\n${e.answer}\n<END>\n\n`)
        .join('');
      return {
        input: {
          kind: 'text',
          text: `# instructions\n\n${setup.systemPrompt}\n\n${shots}# Query:\n${query}\n\n# Answer:\n<START>`,
        },
        stop: DRPO_STOP,
      };
    }
    case 'urial': {
      const turn = (q: string) => `# Query:\n\`\`\`\n${q}\n\`\`\`\n\n# Answer:\n\`\`\`\n`;
      const shots = setup.examples.map((e) => `${turn(e.query)}${e.answer}\n\`\`\`\n\n`).join('');
      return {
        input: { kind: 'text', text: `# Instruction\n\n${setup.systemPrompt}\n\n\n${shots}${turn(query)}` },
        stop: URIAL_STOP,
      };
    }
    case 'chat':
    case 'chat-no-system':
      return { input: { kind: 'chat', messages: chatMessages(format, setup, query) } };
    case 'drpo-chat':
      throw new Error('TODO(helper): drpo-chat');
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

/** The answer as the user should see it: markers and stop-string remnants removed. */
export function cleanAnswer(format: PromptFormat, text: string): string {
  let answer = text;
  if (format === 'drpo') answer = answer.replace(/<START>/g, '').replace(/<END>?$/, '');
  if (format === 'urial') answer = answer.replace(/`{1,3}$/, '');
  return answer.trim();
}
