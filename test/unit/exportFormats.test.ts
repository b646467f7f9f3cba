import { describe, expect, it } from 'vitest';
import { exportAs } from '../../src/main/export/exportFormats.js';

const input = {
  systemPrompt: 'Be kind.',
  examples: [{ query: 'Q1?', answer: 'A1.' }],
  k: 2,
  model: 'llama3:8b',
};

describe('exports', () => {
  it("a chat model's Modelfile has SYSTEM and the examples as MESSAGE turns", () => {
    expect(exportAs('modelfile', { ...input, format: 'chat' })).toBe(
      'FROM llama3:8b\nSYSTEM """Be kind."""\nMESSAGE user """Q1?"""\nMESSAGE assistant """A1."""\n',
    );
  });

  it("a base model's Modelfile ships the very template it was optimized with", () => {
    const file = exportAs('modelfile', { ...input, format: 'drpo' });
    expect(file).toContain(
      'TEMPLATE """# instructions\n\nBe kind.\n\n# Query:\nQ1?\n\n# Answer:\n<START>\nA1.\n<END>\n\n# Query:\n{{ .Prompt }}\n\n# Answer:\n<START>"""',
    );
    expect(file).toContain('PARAMETER stop "<END>"');
  });

  it('JSON messages leave the last user turn to the consumer', () => {
    const json = JSON.parse(exportAs('messages', { ...input, format: 'chat' })) as { messages: unknown[]; k: number };
    expect(json.messages).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Q1?' },
      { role: 'assistant', content: 'A1.' },
    ]);
    expect(json.k).toBe(2);
  });

  it('text shows the prompt and every example', () => {
    const text = exportAs('text', { ...input, format: 'drpo' });
    expect(text).toContain('# System prompt\n\nBe kind.');
    expect(text).toContain('### Query\nQ1?\n\n### Answer\nA1.');
  });
});

describe("exports of the reference's chat path (drpo-chat)", () => {
  it('ship the system message, the form of the user turn and the stop strings', () => {
    const json = JSON.parse(exportAs('messages', { ...input, format: 'drpo-chat' })) as Record<string, unknown>;
    expect(json.messages).toEqual([
      { role: 'system', content: '# instructions\n\nBe kind.\n\n# Query:\nQ1?\n\n# Answer:\n<START>\nA1.\n<END>\n\n' },
    ]);
    expect(json.userTemplate).toBe('# Query:\n{query}\n\n# Answer:\n<START>');
    expect(json.stop).toEqual(['<END>', '<END', '<|eot_id|>']);
    expect(exportAs('modelfile', { ...input, format: 'drpo-chat' })).toBe(
      'FROM llama3:8b\nSYSTEM """# instructions\n\nBe kind.\n\n# Query:\nQ1?\n\n# Answer:\n<START>\nA1.\n<END>\n\n"""\n' +
        '# Send each query as: "# Query:\\n{query}\\n\\n# Answer:\\n<START>"\n' +
        'PARAMETER stop "<END>"\nPARAMETER stop "<END"\nPARAMETER stop "<|eot_id|>"\n',
    );
  });
});
