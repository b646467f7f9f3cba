import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { GenerateRequest, ModelClient, PluginContext } from '../../src/plugins/contract.js';
import plugin from '../../src/plugins/llama-cpp/index.js';
import { toGbnfJsonSchema } from '../../src/plugins/llama-cpp/jsonSchemaToGbnf.js';
import manifest from '../../src/plugins/llama-cpp/manifest.json' with { type: 'json' };
import { errorOf } from '../support/pluginTestKit.js';

const MODELS_DIR = path.resolve(import.meta.dirname, '../../../shared/models');
const MODEL_PATH = path.resolve(import.meta.dirname, '../../../shared/models/stories260K/stories260K.gguf');

const logs: string[] = [];
const ctx: PluginContext = { baseDir: import.meta.dirname, log: (m) => logs.push(m) };

function request(overrides: Partial<GenerateRequest>): GenerateRequest {
  return { input: { kind: 'text', text: 'Once upon a time' }, temperature: 0, maxTokens: 40, n: 1, ...overrides };
}

const HELPFULNESS_SCHEMA = {
  type: 'object',
  properties: {
    Helpfulness: {
      type: 'object',
      properties: { rationale: { type: 'string' }, score: { type: 'integer', enum: [1, 2, 3, 4, 5] } },
      required: ['rationale', 'score'],
    },
  },
  required: ['Helpfulness'],
};

describe('llama-cpp plugin (stories260K)', () => {
  let client: ModelClient;

  beforeAll(async () => {
    client = await plugin.create({ modelPath: MODEL_PATH, threads: 1 }, ctx);
  });

  afterAll(async () => {
    await client?.dispose();
  });

  it('answers a prompt the same whether its prefix is still cached or was evicted by another prompt', async () => {
    const prefix = 'Once upon a time there was a little girl who loved the sea. ';
    const a = request({ input: { kind: 'text', text: `${prefix}She went to the` } });
    const b = request({ input: { kind: 'text', text: `${prefix}One day a dog` } });
    const first = await client.generate(a);
    await client.generate(b); // shares the prefix, replaces the tail in the KV cache
    const again = await client.generate(a);
    const unrelated = await client.generate(request({ input: { kind: 'text', text: 'The big red ball' } }));
    const afterEviction = await client.generate(a);
    expect(again.texts).toEqual(first.texts);
    expect(afterEviction.texts).toEqual(first.texts);
    expect(unrelated.texts[0]).not.toEqual(first.texts[0]);
  });

  it('streams text as it is generated', async () => {
    const chunks: string[] = [];
    const out = await client.generate(request({ onText: (c) => chunks.push(c) }));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(out.texts[0]);
  });

  it('has a manifest matching the contract', () => {
    expect(manifest.id).toBe('llama-cpp');
    expect(manifest.apiVersion).toBe(1);
    expect(client.capabilities).toEqual(manifest.capabilities);
    expect(manifest.settings.map((s) => s.key)).toEqual(['modelPath', 'threads', 'contextSize', 'parallel', 'gpu']);
    expect(client.maxParallel).toBe(1);
  });

  it('completes raw text and stops at a stop string', async () => {
    const plain = await client.generate(request({}));
    expect(plain.texts).toHaveLength(1);
    expect(plain.texts[0]!.trim().length).toBeGreaterThan(0);

    const stopped = await client.generate(request({ maxTokens: 200, stop: ['.'] }));
    const text = stopped.texts[0]!;
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text).not.toContain('.');
    // Greedy: the stopped text is the plain text cut before its first '.'.
    expect(plain.texts[0]!.startsWith(text) || text.startsWith(plain.texts[0]!)).toBe(true);
  });

  it('chats with a system message and earlier turns', async () => {
    const last = { role: 'user' as const, content: 'Tell me a story about a dog.' };
    const full = await client.generate(
      request({
        input: {
          kind: 'chat',
          messages: [
            { role: 'system', content: 'You are a kind storyteller.' },
            { role: 'user', content: 'Hello!' },
            { role: 'assistant', content: 'Hi. What story do you want?' },
            last,
          ],
        },
        maxTokens: 30,
      }),
    );
    expect(full.texts[0]!.trim().length).toBeGreaterThan(0);
    const alone = await client.generate(request({ input: { kind: 'chat', messages: [last] }, maxTokens: 30 }));
    expect(full.usage.promptTokens).toBeGreaterThan(alone.usage.promptTokens + 20);

    const noUser = await errorOf(
      client.generate(request({ input: { kind: 'chat', messages: [{ role: 'assistant', content: 'x' }] } })),
    );
    expect(noUser.kind).toBe('bad-request');
  });

  it('follows a JSON schema', async () => {
    const result = await client.generate(
      request({
        input: { kind: 'chat', messages: [{ role: 'user', content: 'Rate the answer.' }] },
        jsonSchema: HELPFULNESS_SCHEMA,
        temperature: 0.8,
        seed: 7,
        maxTokens: 300,
      }),
    );
    const parsed = JSON.parse(result.texts[0]!) as { Helpfulness: { rationale: unknown; score: unknown } };
    expect(Object.keys(parsed)).toEqual(['Helpfulness']);
    expect(typeof parsed.Helpfulness.rationale).toBe('string');
    expect([1, 2, 3, 4, 5]).toContain(parsed.Helpfulness.score);
  });

  it('accepts standard schema keywords the grammar lacks (converted or dropped)', async () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        score: { type: 'integer', minimum: 1, maximum: 5 },
        weight: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        tags: {
          type: 'array',
          items: { type: 'string', pattern: '^[a-z]+$' },
          minItems: 1,
          maxItems: 2,
          uniqueItems: true,
        },
        email: { type: 'string', format: 'email' },
        note: { anyOf: [{ type: 'string', maxLength: 20 }, { type: 'null' }] },
        flag: { type: ['boolean', 'null'] },
        extra: {},
        ref: { $ref: '#/definitions/Item' },
      },
      required: ['score'],
      definitions: { Item: { type: 'object', properties: { id: { const: 'x' } } } },
    };
    const { dropped } = toGbnfJsonSchema(schema);
    expect(dropped).toEqual(['exclusiveMaximum', 'format email', 'minimum', 'pattern', 'uniqueItems']);
    const result = await client.generate(
      request({
        input: { kind: 'text', text: 'JSON:' },
        jsonSchema: schema,
        maxTokens: 400,
        temperature: 0.8,
        seed: 3,
      }),
    );
    const parsed = JSON.parse(result.texts[0]!) as Record<string, unknown>;
    expect([1, 2, 3, 4, 5]).toContain(parsed.score);
    expect(Array.isArray(parsed.tags) && parsed.tags.length >= 1 && parsed.tags.length <= 2).toBe(true);
    expect(parsed.ref).toEqual({ id: 'x' });
    expect(logs.some((l) => l.includes('not enforced') && l.includes('pattern'))).toBe(true);
  });

  it('converts schemas to node-llama-cpp dialect', () => {
    expect(toGbnfJsonSchema({ type: 'integer', exclusiveMinimum: 0, maximum: 3 }).schema).toEqual({ enum: [1, 2, 3] });
    expect(toGbnfJsonSchema({ type: 'object' }).schema).toEqual({ type: 'object', additionalProperties: true });
    expect(toGbnfJsonSchema({ type: ['string', 'null'], minLength: 2 }).schema).toEqual({
      oneOf: [{ type: 'string', minLength: 2 }, { type: 'null' }],
    });
    expect(toGbnfJsonSchema({ type: 'array', items: [{ type: 'string' }], additionalItems: false }).schema).toEqual({
      type: 'array',
      prefixItems: [{ type: 'string' }],
      maxItems: 1,
    });
    expect(
      toGbnfJsonSchema({
        allOf: [{ properties: { a: { type: 'string' } } }, { properties: { b: { type: 'boolean' } } }],
      }).schema,
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'boolean' } },
    });
  });

  it('is reproducible with a seed and reports usage', async () => {
    const req = request({ temperature: 0.8, seed: 42, maxTokens: 30 });
    const a = await client.generate(req);
    const b = await client.generate(req);
    expect(a.texts[0]).toBe(b.texts[0]);
    expect(a.texts[0]!.length).toBeGreaterThan(0);
    expect(a.usage.promptTokens).toBeGreaterThan(0);
    expect(a.usage.completionTokens).toBeGreaterThan(0);
    expect(a.usage).toEqual(b.usage);
  });

  it('aborts mid-generation and keeps working afterwards', async () => {
    const seeded = request({ temperature: 0.8, seed: 5, maxTokens: 25 });
    const before = await client.generate(seeded);

    const controller = new AbortController();
    const started = Date.now();
    const long = client.generate(request({ maxTokens: 1500 }), controller.signal); // ~4 s if not aborted
    setTimeout(() => controller.abort(), 150);
    const error = await errorOf(long);
    expect(error.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1500);

    const preAborted = await errorOf(client.generate(seeded, AbortSignal.abort()));
    expect(preAborted.kind).toBe('aborted');

    // The sequence came back clean: the same seeded request gives the same text.
    const after = await client.generate(seeded);
    expect(after.texts[0]).toBe(before.texts[0]);
  });

  it('rejects a prompt longer than the context', async () => {
    const text = 'Once upon a time there was a big dog. '.repeat(600);
    const error = await errorOf(client.generate(request({ input: { kind: 'text', text } })));
    expect(error.kind).toBe('bad-request');
    expect(error.message).toMatch(/prompt has \d+ tokens; context size is 4096/);
    const chatError = await errorOf(
      client.generate(request({ input: { kind: 'chat', messages: [{ role: 'user', content: text }] } })),
    );
    expect(chatError.kind).toBe('bad-request');
    // Still usable.
    expect((await client.generate(request({ maxTokens: 5 }))).texts[0]!.length).toBeGreaterThan(0);
  });

  it('serves requests in parallel (relative modelPath, parallel = 2)', async () => {
    const parallelClient = await plugin.create(
      { modelPath: 'stories260K/stories260K.gguf', threads: 1, parallel: 2, contextSize: 1024 },
      { ...ctx, baseDir: MODELS_DIR },
    );
    try {
      expect(parallelClient.maxParallel).toBe(2);
      const results = await Promise.all([
        parallelClient.generate(request({ maxTokens: 60, temperature: 0.8, seed: 1 })),
        parallelClient.generate(
          request({ input: { kind: 'chat', messages: [{ role: 'user', content: 'Hi' }] }, maxTokens: 60 }),
        ),
        parallelClient.generate(request({ maxTokens: 20 })), // waits for a free sequence
      ]);
      for (const r of results) expect(r.texts[0]!.length).toBeGreaterThan(0);
    } finally {
      await parallelClient.dispose();
    }
  });

  it('reports a missing model file as not-found and bad settings by name', async () => {
    const missing = await errorOf(plugin.create({ modelPath: 'nope/missing.gguf' }, ctx));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toBe(
      `GGUF model file not found: ${path.resolve(import.meta.dirname, 'nope/missing.gguf')}`,
    );

    await expect(plugin.create({}, ctx)).rejects.toThrow(/modelPath/);
    await expect(plugin.create({ modelPath: MODEL_PATH, threads: 0 }, ctx)).rejects.toThrow(/"threads"/);
    await expect(plugin.create({ modelPath: MODEL_PATH, parallel: 1.5 }, ctx)).rejects.toThrow(/"parallel"/);
    await expect(plugin.create({ modelPath: MODEL_PATH, gpu: 'yes' }, ctx)).rejects.toThrow(/"gpu"/);
  });

  it('disposes idempotently', async () => {
    const other = await plugin.create({ modelPath: MODEL_PATH, threads: 1, contextSize: 512 }, ctx);
    const inFlight = other.generate(request({ maxTokens: 400 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([other.dispose(), other.dispose()]);
    expect((await errorOf(inFlight)).kind).toBe('aborted');
    await other.dispose();
    const error = await errorOf(other.generate(request({})));
    expect(error.kind).toBe('bad-request');
    // Disposing other clients (their own Llama instances) leaves this one working.
    expect((await client.generate(request({ maxTokens: 5 }))).texts[0]!.length).toBeGreaterThan(0);
  });
});
