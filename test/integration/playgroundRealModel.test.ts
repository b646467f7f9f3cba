// The playground on the real embedded model: both setups answered by stories260K through a saved
// llama-cpp connection, the text streamed in chunks that add up to the final answer, and the
// second setup's retrieved ICL example put before its query.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudioService } from '../../src/main/api/studioService.js';
import type { PlaygroundEvent } from '../../src/shared/studioApi.js';
import { TINY_MODEL } from '../support/pluginTestKit.js';

describe('the playground on the embedded model', () => {
  it("streams both setups' answers, chunk by chunk", async () => {
    const service = createStudioService({ userDataDir: mkdtempSync(path.join(tmpdir(), 'drpo-playground-')) });
    const { api } = service;
    try {
      await api.connections.save('tiny', {
        plugin: 'llama-cpp',
        settings: { modelPath: TINY_MODEL, threads: 1, contextSize: 2048 },
      });
      await api.datasets.import(
        'icl',
        'icl-examples',
        'icl.json',
        JSON.stringify([{ query: 'Tell me about a cat.', answer: 'The cat sat in the sun.' }]),
      );
      const events: PlaygroundEvent[] = [];
      await new Promise<void>((resolve) => {
        api.playground.compare(
          {
            connection: 'tiny',
            promptFormat: 'drpo',
            query: 'Tell me about a dog.',
            maxTokens: 24,
            a: { systemPrompt: 'You are a helpful assistant.' },
            b: { systemPrompt: 'Be kind.', iclDataset: 'icl', k: 1 },
          },
          (event) => {
            events.push(event);
            if (event.side === 'b' && event.type !== 'chunk') resolve();
          },
        );
      });
      for (const side of ['a', 'b'] as const) {
        const chunks = events.filter((e) => e.side === side && e.type === 'chunk');
        const done = events.find((e) => e.side === side && e.type === 'done');
        expect(done, JSON.stringify(events.filter((e) => e.type === 'error'))).toBeDefined();
        const text = done!.type === 'done' ? done!.text : '';
        expect(text.length).toBeGreaterThan(0);
        expect(chunks.length).toBeGreaterThan(1);
        // The streamed text is the answer before its markers were cleaned off.
        expect(chunks.map((c) => (c.type === 'chunk' ? c.text : '')).join('')).toContain(text);
      }
      expect(events.find((e) => e.side === 'b' && e.type === 'done')).toMatchObject({
        examples: ['Tell me about a cat.'],
      });
      expect(events.find((e) => e.side === 'a' && e.type === 'done')).toMatchObject({ examples: [] });
    } finally {
      await service.close();
    }
  });
});
