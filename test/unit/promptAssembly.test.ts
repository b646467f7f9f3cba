import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemblePrompt, cleanAnswer, defaultPromptFormat, sendsChat } from '../../src/main/engine/promptAssembly.js';
import { parseUrialPrompt } from '../../src/main/experiments/setups.js';

const setup = {
  systemPrompt: 'Be kind.',
  examples: [
    { query: 'Q1?', answer: 'A1.' },
    { query: 'Q2?', answer: 'A2.' },
  ],
};

describe('prompt assembly', () => {
  it('builds the reference raw-completion format with <START>/<END> and its stop strings', () => {
    const { input, stop } = assemblePrompt('drpo', setup, 'Q?');
    expect(input).toEqual({
      kind: 'text',
      text: '# instructions\n\nBe kind.\n\n# Query:\nQ1?\n\n# Answer:\n<START>\nA1.\n<END>\n\n# Query:\nQ2?\n\n# Answer:\n<START>\nA2.\n<END>\n\n# Query:\nQ?\n\n# Answer:\n<START>',
    });
    expect(stop).toEqual(['<END>', '<END', '<|eot_id|>']);
  });

  it("lays out the URIAL format as URIAL's template does, stopping where its code stops", () => {
    const { input, stop } = assemblePrompt('urial', setup, 'Q?');
    // URIAL: the file's text, then "\n\n# Query:\n```\n{q}\n```\n" and "\n\n# Answer:\n```\n".
    expect(input).toEqual({
      kind: 'text',
      text: '# Instruction\n\nBe kind.\n\n# Query:\n```\nQ1?\n```\n\n# Answer:\n```\nA1.\n```\n\n# Query:\n```\nQ2?\n```\n\n# Answer:\n```\nA2.\n```\n\n\n# Query:\n```\nQ?\n```\n\n\n# Answer:\n```\n',
    });
    expect(stop).toEqual(['# Query', '# User']);
  });

  it("assembles URIAL's recommended prompt file back to its own text, then the query", () => {
    const file = path.resolve(import.meta.dirname, '../../../shared/reference/urial/inst_1k_v4.help.txt');
    const text = readFileSync(file, 'utf8');
    const { input } = assemblePrompt('urial', parseUrialPrompt(text, file), 'How do I sort a list?');
    expect(input).toEqual({
      kind: 'text',
      text: `${text}\n\n# Query:\n\`\`\`\nHow do I sort a list?\n\`\`\`\n\n\n# Answer:\n\`\`\`\n`,
    });
  });

  it("reproduces the reference's chat path: instructions and examples as the system message, the query turn as the user's", () => {
    const { input, stop } = assemblePrompt('drpo-chat', setup, 'Q?');
    expect(input).toEqual({
      kind: 'chat',
      messages: [
        {
          role: 'system',
          content:
            '# instructions\n\nBe kind.\n\n# Query:\nQ1?\n\n# Answer:\n<START>\nA1.\n<END>\n\n# Query:\nQ2?\n\n# Answer:\n<START>\nA2.\n<END>\n\n',
        },
        { role: 'user', content: '# Query:\nQ?\n\n# Answer:\n<START>' },
      ],
    });
    expect(stop).toEqual(['<END>', '<END', '<|eot_id|>']);
    const bare = assemblePrompt('drpo-chat', { systemPrompt: 'Be kind.', examples: [] }, 'Q?');
    expect(bare.input.kind === 'chat' && bare.input.messages).toEqual([
      { role: 'system', content: '# instructions\n\nBe kind.\n\n' },
      { role: 'user', content: '# Query:\nQ?\n\n# Answer:\n<START>' },
    ]);
  });

  it('chooses the reference chat path by default only for a base model that cannot complete raw text', () => {
    expect(defaultPromptFormat({ completion: true })).toBe('drpo');
    expect(defaultPromptFormat({ completion: false })).toBe('drpo-chat');
    expect(['drpo', 'drpo-chat', 'urial', 'chat', 'chat-no-system'].filter((f) => sendsChat(f as never))).toEqual([
      'drpo-chat',
      'chat',
      'chat-no-system',
    ]);
  });

  it('gives chat models a system message and the examples as turns', () => {
    const { input } = assemblePrompt('chat', setup, 'Q?');
    expect(input).toEqual({
      kind: 'chat',
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'Q1?' },
        { role: 'assistant', content: 'A1.' },
        { role: 'user', content: 'Q2?' },
        { role: 'assistant', content: 'A2.' },
        { role: 'user', content: 'Q?' },
      ],
    });
  });

  it('folds the system prompt into the first user turn for models without a system role', () => {
    const { input } = assemblePrompt('chat-no-system', setup, 'Q?');
    expect(input.kind === 'chat' && input.messages[0]).toEqual({ role: 'user', content: 'Be kind.\n\nQ1?' });
    const bare = assemblePrompt('chat-no-system', { systemPrompt: 'Be kind.', examples: [] }, 'Q?');
    expect(bare.input.kind === 'chat' && bare.input.messages).toEqual([{ role: 'user', content: 'Be kind.\n\nQ?' }]);
  });

  it('cleans the markers from answers', () => {
    expect(cleanAnswer('drpo', '\nThe answer.\n<END')).toBe('The answer.');
    expect(cleanAnswer('drpo', 'The answer.\n<END>\n# Query:\nmore')).toBe('The answer.');
    expect(cleanAnswer('drpo-chat', '<START>\nThe answer.\n<END>')).toBe('The answer.');
    expect(cleanAnswer('drpo-chat', 'The answer.')).toBe('The answer.');
    expect(cleanAnswer('chat', '  <START> kept \n')).toBe('<START> kept');
  });

  it("strips only URIAL's closing fence, so an answer with code keeps its code", () => {
    // What a base model writes after "# Answer:\n```\n" until the stop at "# Query".
    const withCode = 'Use sorted:\n```python\nprint(sorted(xs))\n```\nDone.\n```\n\n';
    expect(cleanAnswer('urial', withCode)).toBe('Use sorted:\n```python\nprint(sorted(xs))\n```\nDone.');
    expect(cleanAnswer('urial', 'The answer.\n```\n\n')).toBe('The answer.');
    // The model went straight to "# Query" after its code block: the code's own fence stays.
    expect(cleanAnswer('urial', 'Run:\n```\nls\n```\n\n')).toBe('Run:\n```\nls\n```');
  });
});
