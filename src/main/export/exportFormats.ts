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

function exportMessages(input: ExportInput) {
  const chatFormat = input.format === 'chat-no-system' ? 'chat-no-system' : 'chat';
  const messages = chatMessages(chatFormat, input, '');
  messages.pop(); // the empty query turn: the consumer appends its own
  return {
    promptFormat: input.format,
    k: input.k,
    systemPrompt: input.systemPrompt,
    examples: input.examples,
    messages,
  };
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
    const messages = exportMessages(input).messages;
    for (const m of messages) {
      lines.push(
        m.role === 'system' ? `SYSTEM ${tripleQuoted(m.content)}` : `MESSAGE ${m.role} ${tripleQuoted(m.content)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
