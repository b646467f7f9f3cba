// What ships: the optimized system prompt and ICL set as plain text, as JSON messages, or as an
// Ollama Modelfile. All three are built from the same assembly the run optimized with. A static
// file cannot retrieve per query, so exports carry the example set in order (`examples` caps it).
import { type AlignmentSetup, assemblePrompt, chatMessages, type PromptFormat } from '../engine/promptAssembly.js';

export const EXPORT_FORMATS = ['text', 'messages', 'modelfile'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportInput extends AlignmentSetup {
  format: PromptFormat;
  /** Examples retrieved per query while optimizing (K), recorded for the consumer. */
  k: number;
  /** Model name or file for the Modelfile's FROM line. */
  model: string;
}

const QUERY_SLOT = '{{ .Prompt }}';

export function exportAs(kind: ExportFormat, input: ExportInput): string {
  switch (kind) {
    case 'text':
      return exportText(input);
    case 'messages':
      return `${JSON.stringify(exportMessages(input), null, 2)}\n`;
    case 'modelfile':
      return exportModelfile(input);
  }
}

function exportText(input: ExportInput): string {
  const examples = input.examples
    .map((e, i) => `## Example ${i + 1}\n\n### Query\n${e.query}\n\n### Answer\n${e.answer}`)
    .join('\n\n');
  return `# System prompt\n\n${input.systemPrompt}\n\n# In-context examples\n\nWhile optimizing, the ${input.k} examples most similar to each query were placed before it (prompt format: ${input.format}).\n\n${examples}\n`;
}

const QUERY_FIELD = '{query}';

function exportMessages(input: ExportInput) {
  const common = { promptFormat: input.format, k: input.k, systemPrompt: input.systemPrompt, examples: input.examples };
  if (input.format === 'drpo-chat') {
    // The reference's chat path: one system message; each query goes in a user turn of this form.
    const { input: assembled, stop } = assemblePrompt('drpo-chat', input, QUERY_FIELD);
    if (assembled.kind !== 'chat') throw new Error('drpo-chat must assemble to messages');
    const [system, user] = assembled.messages;
    return { ...common, messages: [system!], userTemplate: user!.content, stop };
  }
  const chatFormat = input.format === 'chat-no-system' ? 'chat-no-system' : 'chat';
  const messages = chatMessages(chatFormat, input, '');
  messages.pop(); // the empty query turn: the consumer appends its own
  return { ...common, messages };
}

function tripleQuoted(text: string): string {
  return `"""${text.replace(/"""/g, '\\"\\"\\"')}"""`;
}

function exportModelfile(input: ExportInput): string {
  const lines = [`FROM ${input.model}`];
  if (input.format === 'drpo' || input.format === 'urial') {
    // Base models: Ollama fills the raw-completion template with the user's query.
    const { input: prompt, stop } = assemblePrompt(input.format, input, QUERY_SLOT);
    if (prompt.kind !== 'text') throw new Error('a raw-completion format must assemble to text');
    lines.push(`TEMPLATE ${tripleQuoted(prompt.text)}`);
    for (const s of stop ?? []) lines.push(`PARAMETER stop ${JSON.stringify(s)}`);
  } else {
    const exported = exportMessages(input);
    for (const m of exported.messages) {
      lines.push(
        m.role === 'system' ? `SYSTEM ${tripleQuoted(m.content)}` : `MESSAGE ${m.role} ${tripleQuoted(m.content)}`,
      );
    }
    if ('userTemplate' in exported) {
      // A Modelfile cannot wrap the user's turn without replacing the model's chat template: the sender does.
      lines.push(`# Send each query as: ${JSON.stringify(exported.userTemplate)}`);
      for (const s of exported.stop ?? []) lines.push(`PARAMETER stop ${JSON.stringify(s)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
