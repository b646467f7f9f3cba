// The two non-generating calls: the models an endpoint serves (with their context length where
// the server says) and embeddings.

import { ModelCallError, type ModelInfo } from '../contract.js';
import type { Endpoint } from './endpoints.js';
import { exchange, type Wire } from './exchange.js';

export function listModelsAt(wire: Wire, endpoint: Endpoint, signal: AbortSignal | undefined): Promise<ModelInfo[]> {
  return exchange(wire, endpoint, signal, async (exchangeSignal, progress) => {
    const page = await endpoint.api.models.list({ signal: exchangeSignal });
    progress.responded = true;
    return page.data.map((model) => {
      const contextLength = contextLengthOf(model as unknown as Record<string, unknown>);
      return contextLength === undefined ? { id: model.id } : { id: model.id, contextLength };
    });
  });
}

export function embedAt(
  wire: Wire,
  endpoint: Endpoint,
  texts: string[],
  signal: AbortSignal | undefined,
): Promise<Float32Array[]> {
  const model = wire.options.embeddingModel ?? wire.options.model;
  return exchange(
    wire,
    endpoint,
    signal,
    async (exchangeSignal, progress) => {
      // Asking for floats explicitly: the client otherwise asks for base64 and decodes it,
      // which breaks on servers that ignore encoding_format and send arrays.
      const response = await endpoint.api.embeddings.create(
        { model, input: texts, encoding_format: 'float' },
        { signal: exchangeSignal },
      );
      progress.responded = true;
      const vectors: Float32Array[] = new Array(texts.length);
      response.data.forEach((item, position) => {
        vectors[item.index ?? position] = toVector(item.embedding as unknown);
      });
      if (vectors.length !== texts.length || vectors.some((v) => v === undefined)) {
        throw new ModelCallError(
          'server',
          `${wire.options.label}: ${endpoint.baseURL} returned ${response.data.length} embeddings for ${texts.length} texts`,
        );
      }
      return vectors;
    },
    model,
  );
}

/** vLLM says max_model_len; other servers use other names. */
function contextLengthOf(model: Record<string, unknown>): number | undefined {
  for (const key of ['max_model_len', 'context_length', 'context_window', 'max_context_length']) {
    const value = model[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}

function toVector(embedding: unknown): Float32Array {
  if (Array.isArray(embedding)) return Float32Array.from(embedding as number[]);
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  throw new ModelCallError('server', `embedding in an unknown encoding (${typeof embedding})`);
}
