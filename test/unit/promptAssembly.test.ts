import { describe, expect, it } from 'vitest';
import { assemblePrompt, cleanAnswer } from '../../src/main/engine/promptAssembly.js';

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

  it('builds the URIAL format with fenced turns', () => {
    const { input, stop } = assemblePrompt('urial', { ...setup, examples: setup.examples.slice(0, 1) }, 'Q?');
    expect(input.kind === 'text' && input.text).toBe(
      '# Instruction\n\nBe kind.\n\n\n# Query:\n```\nQ1?\n```\n\n# Answer:\n```\nA1.\n```\n\n# Query:\n```\nQ?\n```\n\n# Answer:\n```\n',
    );
    expect(stop).toContain('```');
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

  it('cleans markers and stop remnants from answers', () => {
    expect(cleanAnswer('drpo', '\nThe answer.\n<END')).toBe('The answer.');
    expect(cleanAnswer('urial', 'The answer.\n``')).toBe('The answer.');
  });
});
