// Small helpers the backend-plugin tests share.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { ModelCallError } from '../../src/plugins/contract.js';

export const TINY_MODEL = path.resolve(import.meta.dirname, '../../../shared/models/stories260K/stories260K.gguf');

/** A judge-like reply shape for the JSON-schema paths. */
export const SCORE_SCHEMA = {
  type: 'object',
  properties: { rationale: { type: 'string' }, score: { type: 'integer', enum: [1, 2, 3, 4, 5] } },
  required: ['rationale', 'score'],
};

/** The ModelCallError a promise rejects with (fails the test if it resolves or throws anything else). */
export async function errorOf(promise: Promise<unknown>): Promise<ModelCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelCallError);
    return error as ModelCallError;
  }
  throw new Error('expected a rejection');
}

/** A port on 127.0.0.1 nothing listens on (a server was there a moment ago). */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The embedded llama-cpp client on the tiny model: the real text source of the protocol tests. */
export async function createTinyModel(settings: Record<string, unknown> = {}) {
  const { default: llamaCpp } = await import('../../src/plugins/llama-cpp/index.js');
  return llamaCpp.create(
    { modelPath: TINY_MODEL, threads: 1, contextSize: 4096, parallel: 2, ...settings },
    { baseDir: import.meta.dirname, log: () => {} },
  );
}
