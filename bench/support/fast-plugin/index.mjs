// A user plugin for the UI benchmark (bench/uiTree.bench.ts): deterministic, valid answers to
// every DRPO meta-prompt after a fixed latency. Plain ESM, importing nothing, because the
// server under test is the built CLI on Node (no TypeScript). The same recognition of meta-prompts
// as test/helpers/scriptedModel.ts.

/** Which meta-prompt a request carries. */
function purposeOf(input) {
  if (input.kind === 'text') return 'generation';
  const messages = input.messages;
  const last = messages[messages.length - 1].content;
  if (messages.length > 1 && messages[messages.length - 2].role === 'assistant') return 'repair';
  if (last.includes('"aspects_selection"')) return 'selection';
  if (last.includes('new_system_prompt')) return 'transition';
  if (last.includes('new_answer')) return 'icl-transition';
  // The reward judge, or the ICL stage's critic (whose selection and transition prompts are recognized above).
  if (last.includes('Please act as an impartial judge and evaluate') || last.includes('ruthless critic'))
    return 'judgement';
  return 'generation';
}

/** The aspects a judgment prompt asks for: the keys of its last fenced JSON block ([EVAL_DICT]). */
function judgedAspects(prompt) {
  const end = prompt.lastIndexOf('```');
  const start = prompt.lastIndexOf('```', end - 1);
  return Object.keys(JSON.parse(prompt.slice(start + 3, end)));
}

/** A small deterministic hash, for scores that differ between nodes. */
function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export default {
  async create(settings) {
    const latencyMs = Number(settings.latencyMs ?? 10);
    let sample = 0;
    const answer = (input) => {
      const messages = input.kind === 'chat' ? input.messages : [];
      const text = input.kind === 'text' ? input.text : messages[messages.length - 1].content;
      switch (purposeOf(input)) {
        case 'selection':
          return JSON.stringify({
            query_analysis: {
              main_topic: 't',
              user_intent: 'u',
              ambiguities: 'a',
              response_format: 'r',
              challenges: 'c',
            },
            aspects_selection: { reasoning: 'because helpful and clear', selected_aspects: ['Helpfulness', 'Clarity'] },
          });
        case 'judgement': {
          const h = hash(text);
          return JSON.stringify(
            Object.fromEntries(
              judgedAspects(text).map((a, i) => [a, { rationale: `${a}: fine`, score: 1 + ((h >>> (i * 3)) % 5) }]),
            ),
          );
        }
        case 'transition':
          sample += 1;
          return JSON.stringify({
            analysis: 'The answer could be clearer.',
            thought: 'Ask for structure.',
            new_system_prompt: `Prompt version ${sample}: you are a helpful, honest assistant. Answer clearly, in short paragraphs, and say what you do not know.`,
          });
        case 'icl-transition':
          sample += 1;
          return JSON.stringify({ analysis: 'a', thought: 't', new_answer: `Better answer ${sample}.` });
        default:
          return `An answer of ${text.length % 50} words, written to be helpful and clear.`;
      }
    };
    return {
      capabilities: {
        chat: true,
        completion: true,
        multipleSamples: false,
        jsonSchema: false,
        seed: true,
        embeddings: false,
        listModels: false,
      },
      async generate(request, signal) {
        if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
        signal?.throwIfAborted();
        const texts = Array.from({ length: request.n }, () => answer(request.input));
        const prompt =
          request.input.kind === 'text' ? request.input.text : request.input.messages.map((m) => m.content).join('\n');
        return {
          texts,
          usage: { promptTokens: Math.ceil(prompt.length / 4), completionTokens: Math.ceil(texts.join('').length / 4) },
        };
      },
      async dispose() {},
    };
  },
};
