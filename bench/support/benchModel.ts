// The model behind the engine benchmarks: answers every DRPO meta-prompt validly and at once
// (the benchmark server adds the latency), and keeps nothing, so a long run measures the engine's
// memory, not the model's. Every answer carries a hash of its prompt, so no two nodes produce the
// same text and no call is saved by the content cache; the judge scores 3 or 4, below the 4.5
// carry-over threshold, so the depth stays as configured.
import { createHash } from 'node:crypto';
import type { GenerateRequest, GenerateResult, ModelClient } from '../../src/plugins/contract.js';
import {
  allCapabilities,
  judgedAspects,
  judgeReply,
  purposeOf,
  selectionReply,
  transitionReply,
} from '../../test/helpers/scriptedModel.js';

export interface BenchModelOptions {
  /** Pad base answers and rewritten system prompts to about this many characters (large-prompt runs). */
  textChars?: number;
}

const FILLER = 'Answer plainly, check each fact, give one concrete example, and say what you do not know. ';

function padded(text: string, chars: number | undefined): string {
  if (!chars || text.length >= chars) return text;
  return `${text} ${FILLER.repeat(Math.ceil((chars - text.length) / FILLER.length))}`.slice(0, chars);
}

export class BenchModel implements ModelClient {
  readonly capabilities = allCapabilities;
  private rewrites = 0;

  constructor(private readonly options: BenchModelOptions = {}) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const input = request.input;
    const prompt = input.kind === 'text' ? input.text : input.messages[input.messages.length - 1]!.content;
    const texts = Array.from({ length: request.n }, () => this.answer(request, prompt));
    return {
      texts,
      usage: { promptTokens: Math.ceil(prompt.length / 4), completionTokens: Math.ceil(texts.join('').length / 4) },
    };
  }

  private answer(request: GenerateRequest, prompt: string): string {
    const hash = createHash('sha1').update(prompt).digest();
    switch (purposeOf(request)) {
      case 'selection':
        return selectionReply(['Helpfulness', 'Clarity', 'Factuality']);
      case 'judgement':
        return judgeReply(Object.fromEntries(judgedAspects(prompt).map((aspect, i) => [aspect, 3 + (hash[i]! & 1)])));
      case 'transition':
        this.rewrites += 1;
        return transitionReply(
          padded(
            `Prompt version ${this.rewrites} (${hash.toString('hex', 0, 4)}): you are a helpful, honest assistant.`,
            this.options.textChars,
          ),
        );
      case 'repair':
        throw new Error('the benchmark model never gives an unusable reply, so nothing should be re-asked');
      default:
        return padded(`Answer ${hash.toString('hex', 0, 4)}: a helpful and clear reply.`, this.options.textChars);
    }
  }

  async dispose(): Promise<void> {}
}
