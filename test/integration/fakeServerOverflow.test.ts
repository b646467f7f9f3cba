// The benchmark server's slots, as a real client sees them: beyond its slots a request waits
// (the default), or is refused at once with 503 or 429, a Retry-After and OpenAI's error body;
// the counts the benchmarks read (in flight, serving, rejected) say what really happened.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../helpers/scriptedModel.js';
import { FakeOpenAIServer, type FakeServerOptions } from '../support/fakeOpenAIServer.js';

const LATENCY_MS = 300;
const servers: FakeOpenAIServer[] = [];

async function startServer(options: FakeServerOptions): Promise<FakeOpenAIServer> {
  const server = await FakeOpenAIServer.start(new ScriptedModel(() => 'hello'), { modelId: 'm', ...options });
  servers.push(server);
  return server;
}

const clientOf = (server: FakeOpenAIServer) => new OpenAI({ baseURL: server.baseURL, apiKey: 'none', maxRetries: 0 });

const ask = (client: OpenAI) =>
  client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });

/** Resolves once `condition` holds; fails after a second. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 1000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function refusal(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the fake OpenAI server beyond its slots', () => {
  it('queues by default: both requests are answered, one after the other', async () => {
    const server = await startServer({ slots: 1, latencyMs: LATENCY_MS });
    const client = clientOf(server);
    const started = performance.now();
    const replies = await Promise.all([ask(client), ask(client)]);
    expect(replies.map((r) => r.choices[0]!.message.content)).toEqual(['hello', 'hello']);
    // The second waited for the first's slot: two latencies in all.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * LATENCY_MS);
    expect(server.rejected).toBe(0);
    expect(server.maxServing).toBe(1);
    expect(server.maxInFlight).toBe(2);
  });

  it("refuses with 503, Retry-After and OpenAI's error body while the slot is busy", async () => {
    const server = await startServer({ slots: 1, latencyMs: LATENCY_MS, overflow: 'reject-503' });
    const client = clientOf(server);
    const first = ask(client);
    await until(() => server.maxServing === 1, 'the first request in its slot');
    const refused = await refusal(ask(client));
    expect(refused.status).toBe(503);
    expect(refused.headers?.get('retry-after')).toBe('1');
    expect(refused.error).toEqual({
      message: 'The engine is currently overloaded, please try again later.',
      type: 'server_error',
      param: null,
      code: null,
    });
    // The refused request was open only while it was refused: the first is alone again, still served.
    await until(() => server.inFlight === 1, 'the refused request to close');
    expect((await first).choices[0]!.message.content).toBe('hello');
    expect(server.rejected).toBe(1);
    expect(server.maxServing).toBe(1);
    expect(server.maxInFlight).toBe(2);
    // A free slot serves again.
    expect((await ask(client)).choices[0]!.message.content).toBe('hello');
    expect(server.rejected).toBe(1);
  });

  it('refuses with 429 and the Retry-After it is given (0 included), as a rate limit', async () => {
    const server = await startServer({ slots: 2, latencyMs: LATENCY_MS, overflow: 'reject-429', retryAfterS: 0 });
    const client = clientOf(server);
    const served = [ask(client), ask(client)];
    await until(() => server.maxServing === 2, 'both slots busy');
    const refused = await refusal(ask(client));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.headers?.get('retry-after')).toBe('0');
    expect(refused.error).toEqual({
      message: 'Rate limit reached for requests. Please try again in 0s.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    await Promise.all(served);
    expect(server.rejected).toBe(1);
    expect(server.maxServing).toBe(2);
  });

  it('listens on the port it is given, so a restarted server is where its clients left it', async () => {
    const first = await startServer({});
    const { port } = new URL(first.origin);
    await first.close();
    const second = await startServer({ port: Number(port) });
    expect(second.baseURL).toBe(first.baseURL);
    expect((await ask(clientOf(second))).choices[0]!.message.content).toBe('hello');
  });
});
