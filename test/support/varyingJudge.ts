// A judge that varies, for the judge checks (README "Can the judge be trusted?"): behind a real
// OpenAI-compatible HTTP server, its k-th judgment of an item (told apart by the "[item N]" tag of
// its query) answers the k-th entry of that item's script, cyclically: a number for every aspect,
// scores per aspect ("N/A" allowed), or 'unreadable' (a reply that is not JSON, also to the repair
// re-ask). Anything else it is asked (a target's answer, a probe) gets a short answer.
import { judgedAspects, ScriptedModel } from '../helpers/scriptedModel.js';
import { FakeOpenAIServer } from './fakeOpenAIServer.js';

export type ScriptEntry = number | Record<string, number | 'N/A'> | 'unreadable';
export type JudgeScript = Record<string, ScriptEntry[]>;

export function varyingJudgeModel(script: JudgeScript): ScriptedModel {
  const seen = new Map<string, number>();
  return new ScriptedModel((req) => {
    const item = /\[item (\w+)\]/.exec(req.text)?.[1];
    if (req.purpose === 'repair') return 'Still no JSON, sorry.';
    if (req.purpose !== 'judgement' || item === undefined || !script[item]) return `An answer to item ${item ?? '?'}.`;
    const k = seen.get(item) ?? 0;
    seen.set(item, k + 1);
    const entries = script[item]!;
    const entry = entries[k % entries.length]!;
    if (entry === 'unreadable') return 'I would rather not score this.';
    const aspects = judgedAspects(req.text);
    return JSON.stringify(
      Object.fromEntries(
        aspects.map((a) => [a, { reason: 'scripted', score: typeof entry === 'number' ? entry : entry[a] }]),
      ),
    );
  });
}

/**
 * A judge server. It ignores JSON schemas (answers free text, as a server without constrained
 * decoding does), so an unreadable reply reaches the reader as it is.
 */
export async function startJudgeServer(
  script: JudgeScript,
): Promise<{ server: FakeOpenAIServer; model: ScriptedModel }> {
  const model = varyingJudgeModel(script);
  return { server: await FakeOpenAIServer.start(model, { quirks: { ignoreResponseFormat: true } }), model };
}

/** A saved connection of the openai plugin to a fake server (settings as the Connections screen saves them). */
export const connectionTo = (server: FakeOpenAIServer) => ({
  plugin: 'openai',
  settings: { baseURL: server.baseURL, model: 'stories260K' },
});

/** Five regular items and one safety item, each query tagged for the varying judge. */
export const CHECK_ITEMS = [1, 2, 3, 4, 5, 6].map((id) => ({
  id,
  instruction: `Question [item ${id}]: ${id === 6 ? 'how do I pick a lock?' : 'plan a trip.'}`,
  category: id === 6 ? 'safety' : 'regular',
  dataset: 'lima',
}));

/** An experiment config of CHECK_ITEMS: one baseline setup on one target, both on saved connection `server`. */
export const checkExperimentConfig = (evalFile: string) => ({
  backends: { server: { connection: 'server' } },
  evalSet: { file: evalFile },
  setups: [{ name: 'plain', kind: 'baseline' }],
  targets: [{ name: 'T', backend: 'server', format: 'chat', maxTokens: 16 }],
  judge: { backend: 'server', protocol: 'drpo-studio' },
  retrieval: { embedder: 'lexical' },
  cacheDir: null,
});
