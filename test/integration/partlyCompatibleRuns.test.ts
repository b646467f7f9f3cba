// Whole runs (the built CLI, W=2 M=2 D=3) against servers that are only partly OpenAI-compatible,
// through the openai plugin, the vllm plugin and the README's example user plugin (issue 13). The
// model behind the fake server writes the JSON the DRPO meta-prompts ask for only when the server
// constrains it to a schema, and prose otherwise: a run can only be judged where the plugin found
// (or was told) the field this server really follows. Expected values come from the protocol:
// llama-server accepts `response_format: json_schema` with a 200 and ignores it, follows
// `json_object` + schema on chat and a top-level `json_schema`, and answers n > 1 with a 500.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { purposeOf } from '../helpers/scriptedModel.js';
import { folderFrom, runCli, runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer, type FakeServerQuirks } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const SEARCH = { width: 2, samples: 2, depth: 3 };
/** What the DRPO meta-prompts want as JSON; the rest is free text anyway. */
const STRUCTURED = new Set(['selection', 'judgement', 'transition', 'repair']);
/** The probe's GETs on a llama.cpp server (/v1/models, /props): not completions. */
const LLAMA_PROBE_GETS = 2;

describe('runs against partly compatible servers', () => {
  let work: string;
  let scriptedModel: ModelClient;
  /** JSON only under a schema, as a model that is not told the format well enough follows none. */
  let needsConstraint: ModelClient;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'drpo-partly-'));
    scriptedModel = await scripted.create({ latencyMs: 0 }, { baseDir: work, log: () => {} });
    needsConstraint = {
      capabilities: scriptedModel.capabilities,
      generate: async (request, signal) =>
        request.jsonSchema === undefined && STRUCTURED.has(purposeOf(request))
          ? {
              texts: ['I think it is a fine answer, and I would say so in words.'],
              usage: { promptTokens: 9, completionTokens: 9 },
            }
          : scriptedModel.generate(request, signal),
      dispose: async () => {},
    };
  });
  afterAll(() => scriptedModel.dispose());

  async function run(backend: Record<string, unknown>, quirks: FakeServerQuirks, userData: string) {
    const server = await FakeOpenAIServer.start(needsConstraint, { quirks });
    const name = `run-${Math.random().toString(36).slice(2, 8)}`;
    const config = path.join(work, `${name}.json`);
    const settings = { ...(backend.settings as object), ...urlFor(backend.plugin as string, server) };
    writeFileSync(
      config,
      JSON.stringify({
        backends: { server: { ...backend, settings, maxRetries: 0 } },
        search: SEARCH,
        cacheDir: null,
        runsDir: name,
      }),
    );
    try {
      const out = await runCliAsync(['optimize', '--config', config, '--user-data', userData], work);
      const completions = server.requests.filter((r) => r.path.endsWith('/completions')).length;
      return { out, server, completions };
    } finally {
      await server.close();
    }
  }

  const result = (stderr: string) =>
    JSON.parse(readFileSync(path.join(folderFrom(stderr), 'result.json'), 'utf8')) as SystemPromptResult;

  it('openai plugin on a llama.cpp server: finds json_object + schema, finishes with every structured reply constrained', {
    timeout: 120_000,
  }, async () => {
    const { out, server, completions } = await run(
      { plugin: 'openai', settings: { model: 'stories260K' } },
      FakeOpenAIServer.llamaCppQuirks,
      path.join(work, 'user-openai'),
    );
    expect(out.code, out.stderr).toBe(0);
    const r = result(out.stderr);
    expect(r.status).toBe('finished');
    expect(r.parseFailures).toBe(0);
    expect(r.search.finalDepth).toBe(SEARCH.depth);
    // After the probe, every structured request went through the field llama-server follows (never the
    // response_format json_schema it ignores), and n > 1, refused once with a 500, was never sent again.
    const chats = server.requestsTo('/v1/chat/completions').map((q) => q.body ?? {});
    const format = (b: Record<string, unknown>) => (b.response_format as { type?: string } | undefined)?.type;
    const firstRunCall = chats.findIndex((b) => format(b) === 'json_object') + 1;
    expect(firstRunCall).toBeGreaterThan(0);
    const runCalls = chats.slice(firstRunCall);
    expect(runCalls.filter((b) => format(b) === 'json_object').length).toBeGreaterThan(10);
    expect(runCalls.some((b) => format(b) === 'json_schema' || b.json_schema !== undefined)).toBe(false);
    expect(runCalls.some((b) => b.n !== undefined)).toBe(false);
    // What result.json counts is what the server received.
    const tally = r.backends.server!;
    expect(tally.probeRequests).toBeGreaterThan(LLAMA_PROBE_GETS);
    expect(completions).toBe(tally.calls + tally.probeRequests! - LLAMA_PROBE_GETS);
  });

  it('vllm plugin (chat mode) on the same server: the same, through its own probe', { timeout: 120_000 }, async () => {
    const { out, completions } = await run(
      { plugin: 'vllm', settings: { mode: 'chat' } },
      FakeOpenAIServer.llamaCppQuirks,
      path.join(work, 'user-vllm'),
    );
    expect(out.code, out.stderr).toBe(0);
    const r = result(out.stderr);
    expect(r).toMatchObject({ status: 'finished', parseFailures: 0 });
    const tally = r.backends.server!;
    expect(completions).toBe(tally.calls + tally.probeRequests! - LLAMA_PROBE_GETS);
  });

  it("the README's example plugin on llama-server: every role served, JSON constrained, counts equal", {
    timeout: 120_000,
  }, async () => {
    const userData = path.join(work, 'user-example');
    mkdirSync(path.join(userData, 'plugins'), { recursive: true });
    cpSync(path.join(root, 'examples/plugins/llama-server'), path.join(userData, 'plugins/llama-server'), {
      recursive: true,
    });
    expect(runCli(['plugins', 'enable', 'llama-server', '--user-data', userData], work).code).toBe(0);
    const { out, completions } = await run(
      { plugin: 'llama-server', settings: {} },
      FakeOpenAIServer.llamaCppQuirks,
      userData,
    );
    expect(out.code, out.stderr).toBe(0);
    const r = result(out.stderr);
    expect(r).toMatchObject({ status: 'finished', parseFailures: 0 });
    expect(completions).toBe(r.backends.server!.calls + (r.backends.server!.probeRequests ?? 0));
  });

  it('a server that follows no JSON field: warned before the run, paused with the reason, not finished', {
    timeout: 120_000,
  }, async () => {
    const { out, completions } = await run(
      { plugin: 'openai', settings: { model: 'stories260K' } },
      { ignoreJsonSchemaFormat: true, ignoreGuidedJson: true, ownedBy: 'someserver' },
      path.join(work, 'user-none'),
    );
    expect(out.code, out.stderr).toBe(75);
    expect(out.stderr).toMatch(/cannot constrain|parsed and repaired/);
    expect(out.stderr).toMatch(/paused: the judge's replies from backend "server" were not the JSON asked for/);
    // A paused run has no result.json yet: its log holds what was paid.
    const events = readRunLog(path.join(folderFrom(out.stderr), 'events.jsonl')).events;
    const paid = events.reduce((sum, e) => sum + (e.type === 'call' ? e.requests : 0), 0);
    const probe = events.find((e) => e.type === 'probe');
    expect(probe).toMatchObject({ backend: 'server' });
    // The probe's one GET (/v1/models) is not a completion.
    expect(completions).toBe(paid + (probe?.type === 'probe' ? probe.requests : 0) - 1);
    expect(events.at(-1)).toMatchObject({ type: 'run-paused' });
  });

  it('a full context inside a 200 stream: the server’s words and the fix, asked once, never retried', {
    timeout: 120_000,
  }, async () => {
    const { out, server } = await run(
      { plugin: 'openai', settings: { model: 'stories260K' } },
      { ...FakeOpenAIServer.llamaCppQuirks, contextChars: 400 },
      path.join(work, 'user-context'),
    );
    expect(out.code, out.stderr).toBe(3); // finished with failures: every node refused for good
    expect(out.stderr).toMatch(/the server says: input prompt is too big compared to KV size/);
    expect(out.stderr).toMatch(/larger context/);
    expect(out.stderr).not.toMatch(/reply stream ended/);
    // No request body was sent twice (nothing retried as a dropped connection).
    const bodies = server.requests.filter((q) => q.path.endsWith('/completions')).map((q) => JSON.stringify(q.body));
    expect(new Set(bodies).size).toBe(bodies.length);
  });
});

function urlFor(plugin: string, server: FakeOpenAIServer): Record<string, unknown> {
  if (plugin === 'vllm') return { endpoints: [server.baseURL] };
  if (plugin === 'llama-server') return { url: server.origin };
  return { baseURL: server.baseURL };
}
