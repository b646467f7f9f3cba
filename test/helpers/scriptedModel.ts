// A scripted ModelClient for exact tests of the algorithm: it recognizes which meta-prompt a
// request carries and answers from the test's script. It talks to the engine through the real
// model layer (RoleClient, scheduler, cache, ledger).
import type { Capabilities, GenerateRequest, GenerateResult, ModelClient } from '../../src/plugins/contract.js';

export type Purpose = 'selection' | 'judgement' | 'transition' | 'icl-transition' | 'generation' | 'repair';

export interface ScriptedRequest {
  purpose: Purpose;
  /** The last user message, or the raw text prompt. */
  text: string;
  request: GenerateRequest;
}

export function purposeOf(request: GenerateRequest): Purpose {
  if (request.input.kind === 'text') return 'generation';
  const messages = request.input.messages;
  const last = messages[messages.length - 1]!.content;
  if (messages.length > 1 && messages[messages.length - 2]!.role === 'assistant') return 'repair';
  if (last.includes('"aspects_selection"')) return 'selection';
  if (last.includes('new_system_prompt')) return 'transition';
  if (last.includes('new_answer')) return 'icl-transition';
  // The reward judge, or the ICL stage's critic (whose selection and transition prompts are recognized above).
  if (last.includes('Please act as an impartial judge and evaluate') || last.includes('ruthless critic'))
    return 'judgement';
  return 'generation';
}

export const allCapabilities: Capabilities = {
  chat: true,
  completion: true,
  multipleSamples: false,
  jsonSchema: false,
  seed: true,
  embeddings: false,
  listModels: false,
};

export class ScriptedModel implements ModelClient {
  readonly capabilities: Capabilities;
  readonly requests: ScriptedRequest[] = [];
  inFlight = 0;
  peakInFlight = 0;

  constructor(
    private readonly answer: (req: ScriptedRequest, index: number) => string | Promise<string>,
    options: { capabilities?: Partial<Capabilities>; latencyMs?: number } = {},
    readonly maxParallel?: number,
  ) {
    this.capabilities = { ...allCapabilities, ...options.capabilities };
    this.latencyMs = options.latencyMs ?? 0;
  }

  private readonly latencyMs: number;

  async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    const messages = request.input.kind === 'chat' ? request.input.messages : [];
    const text = request.input.kind === 'text' ? request.input.text : messages[messages.length - 1]!.content;
    const scripted: ScriptedRequest = { purpose: purposeOf(request), text, request };
    const index = this.requests.push(scripted) - 1;
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      signal?.throwIfAborted();
      const texts = await Promise.all(Array.from({ length: request.n }, () => this.answer(scripted, index)));
      return { texts, usage: { promptTokens: Math.ceil(text.length / 4), completionTokens: texts.join('').length } };
    } finally {
      this.inFlight -= 1;
    }
  }

  count(purpose: Purpose): number {
    return this.requests.filter((r) => r.purpose === purpose).length;
  }

  async dispose(): Promise<void> {}
}

/** The aspects a judgment prompt asks for, read from its [EVAL_DICT] block. */
export function judgedAspects(prompt: string): string[] {
  const end = prompt.lastIndexOf('```');
  const start = prompt.lastIndexOf('```', end - 1);
  return Object.keys(JSON.parse(prompt.slice(start + 3, end)) as object);
}

export function judgeReply(scores: Record<string, number | string>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(scores).map(([a, s]) => [a, { rationale: `${a} looks like ${s}`, score: s }])),
  );
}

export function selectionReply(aspects: string[]): string {
  return JSON.stringify({
    query_analysis: { main_topic: 't', user_intent: 'u', ambiguities: 'a', response_format: 'r', challenges: 'c' },
    aspects_selection: { reasoning: `because ${aspects.join(', ')}`, selected_aspects: aspects },
  });
}

export function transitionReply(prompt: string): string {
  return JSON.stringify({ analysis: 'a', thought: 't', new_system_prompt: prompt });
}
