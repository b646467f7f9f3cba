// Streaming: one streamed request to one endpoint, its chunks accumulated per choice, stop
// strings cut, usage taken from whichever chunk carries it. A stream that ends before every
// choice has finished is a cut connection (StreamCut), never a short reply.

import type { OpenAI } from 'openai';
import { cutAtStop, type GenerateRequest, type JsonConstraint, ModelCallError, type TokenUsage } from '../contract.js';
import { errorText } from '../kit/errorCauses.js';
import type { Endpoint } from './endpoints.js';
import { StreamCut } from './errors.js';
import { exchange, type Wire } from './exchange.js';
import type { Feature } from './features.js';
import { type Route, requestBody, stopsFor } from './request.js';

/** Texts by choice index; usage when the server reported it. */
export interface Sampled {
  texts: string[];
  usage: TokenUsage | undefined;
}

export interface StreamCall {
  request: GenerateRequest;
  route: Route;
  used: ReadonlySet<Feature>;
  /** The fields the schema (if the request has one) is asked for through. */
  json: readonly JsonConstraint[];
  n: number;
  seed: number | undefined;
  signal: AbortSignal | undefined;
  /** Gets choice 0's text as it arrives. */
  onText: ((chunk: string) => void) | undefined;
}

interface ChunkLike {
  choices?: Array<{
    index?: number;
    delta?: { content?: string | null } | null;
    text?: string | null;
    finish_reason?: string | null;
  }> | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

export function streamOnce(wire: Wire, endpoint: Endpoint, call: StreamCall): Promise<Sampled> {
  const { request, route, used, json, n, seed, onText } = call;
  const stops = stopsFor(request, route);
  const body = requestBody(request, route, used, { n, seed, stops, json }, wire.options);
  return exchange(
    wire,
    endpoint,
    call.signal,
    async (signal, progress) => {
      const stream: AsyncIterable<ChunkLike> =
        route.api === 'chat'
          ? await endpoint.api.chat.completions.create(
              body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
              { signal },
            )
          : await endpoint.api.completions.create(body as unknown as OpenAI.CompletionCreateParamsStreaming, {
              signal,
            });
      progress.responded = true;
      const sampled = await readChoices(stream, route.api, onText, signal);
      return { texts: sampled.texts.map((text) => cutAtStop(text, stops)), usage: sampled.usage };
    },
    wire.options.model,
  );
}

async function readChoices(
  stream: AsyncIterable<ChunkLike>,
  api: Route['api'],
  onText: ((chunk: string) => void) | undefined,
  signal: AbortSignal,
): Promise<Sampled> {
  const texts = new Map<number, string>();
  const finished = new Set<number>();
  let usage: TokenUsage | undefined;
  for await (const chunk of stream) {
    if (chunk.usage && typeof chunk.usage.prompt_tokens === 'number')
      usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens ?? 0 };
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      const piece = api === 'chat' ? choice.delta?.content : choice.text;
      if (!texts.has(index)) texts.set(index, '');
      if (piece) {
        texts.set(index, texts.get(index)! + piece);
        if (onText && index === 0) deliver(onText, piece);
      }
      if (choice.finish_reason) finished.add(index);
    }
  }
  // The openai client ends the iteration quietly when its request is aborted.
  if (signal.aborted) throw signal.reason;
  if (texts.size === 0) throw new StreamCut('the reply stream ended without any choice');
  if ([...texts.keys()].some((i) => !finished.has(i)))
    throw new StreamCut('the reply stream ended before the reply was finished (no finish_reason)');
  return { texts: [...texts.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text), usage };
}

/** Hands a piece of text to the caller; a callback that throws is the caller's failure, not the server's. */
function deliver(onText: (chunk: string) => void, piece: string): void {
  try {
    onText(piece);
  } catch (error) {
    throw new ModelCallError('bad-request', `the onText callback failed: ${errorText(error)}`, { cause: error });
  }
}
