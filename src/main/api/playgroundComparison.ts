// The playground: one query answered under two alignment setups, side by side, streamed.

import type { PlaygroundEvent, PlaygroundRequest, SetupDto } from '../../shared/studioApi.js';
import type { RunConfig } from '../config/runConfig.js';
import { normalizeConfig } from '../config/runConfig.js';
import { assemblePrompt, cleanAnswer } from '../engine/promptAssembly.js';
import type { SecretSource } from '../plugins/pluginSettings.js';
import { openBackends } from '../runs/openBackends.js';
import type { DatasetStore } from './datasetStore.js';
import type { PreviewRetrieval } from './previewRetrieval.js';

export function comparePlayground(
  request: PlaygroundRequest,
  context: { datasets: DatasetStore; userDataDir: string; secrets?: SecretSource; retrieval: PreviewRetrieval },
  listener: (event: PlaygroundEvent) => void,
): () => void {
  const { datasets, userDataDir } = context;
  const controller = new AbortController();
  void (async () => {
    let config: RunConfig;
    let backends: Awaited<ReturnType<typeof openBackends>>;
    try {
      config = normalizeConfig(
        { backends: { playground: { connection: request.connection } }, cacheDir: null },
        userDataDir,
      );
      backends = await openBackends(config, ['base'], [], { secrets: context.secrets, userDataDir });
    } catch (error) {
      for (const side of ['a', 'b'] as const) listener({ side, type: 'error', error: (error as Error).message });
      return;
    }
    const client = backends.byName.get('playground')!.client;
    const answer = async (side: 'a' | 'b', setup: SetupDto) => {
      try {
        const examples = setup.iclDataset
          ? await context.retrieval.topK(
              datasets.get(setup.iclDataset).items.map((i) => ({ query: i.query, answer: i.answer ?? '' })),
              request.query,
              setup.k ?? 2,
            )
          : [];
        const prompt = assemblePrompt(
          request.promptFormat,
          { systemPrompt: setup.systemPrompt, examples },
          request.query,
        );
        const result = await client.generate(
          {
            input: prompt.input,
            stop: prompt.stop,
            temperature: 0,
            maxTokens: request.maxTokens ?? 512,
            n: 1,
            onText: (text) => listener({ side, type: 'chunk', text }),
          },
          controller.signal,
        );
        listener({
          side,
          type: 'done',
          text: cleanAnswer(request.promptFormat, result.texts[0] ?? ''),
          examples: examples.map((e) => e.query),
        });
      } catch (error) {
        if (!controller.signal.aborted) listener({ side, type: 'error', error: (error as Error).message });
      }
    };
    // One after the other: a local backend often serves one request at a time anyway.
    await answer('a', request.a);
    await answer('b', request.b);
    await backends.dispose();
  })();
  return () => controller.abort();
}
