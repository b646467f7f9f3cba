// A published search trace opened through the studio's API as browser mode serves it (real HTTP on
// 127.0.0.1, the browser's own client): the run it becomes is listed as the model's published
// trace, finished, with no calls; its levels stream to the beam view; nothing of it runs (resume,
// fork, bind, cancel and export are refused, naming why); it travels as a bundle and stays what it
// is; a hostile trace is refused and leaves no run behind.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { type StudioApiServer, serveStudioApi } from '../../src/main/transports/httpTransport.js';
import { createHttpStudioClient } from '../../src/shared/httpStudioClient.js';
import type { RunEventMessage, StudioApi } from '../../src/shared/studioApi.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';

const MODEL = 'llama2-7b';
const TRACE = readFileSync(path.resolve('../shared/reference/drpo/optimized-prompts', MODEL, 'trace.json'), 'utf8');

/** The error a call ends with (its code and message), or a failure when it succeeds. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioApiError);
  return { code: (error as StudioApiError).code, message: (error as StudioApiError).message };
}

describe('a published trace through the studio API', () => {
  let service: StudioService;
  let server: StudioApiServer;
  let studio: StudioApi;
  let id: string;

  beforeAll(async () => {
    service = createStudioService({ userDataDir: mkdtempSync(path.join(tmpdir(), 'drpo-trace-api-')) });
    server = await serveStudioApi(service.api);
    studio = createHttpStudioClient(server.url, server.token);
    ({ id } = await studio.runs.importTrace({ model: MODEL, content: TRACE }));
  });

  afterAll(async () => {
    await server?.close();
    await service?.close();
  });

  it('is listed as the published trace of its model: finished, 28 levels, no calls, nothing to bind', async () => {
    const [row] = (await studio.runs.list()).filter((r) => r.id === id);
    expect(row).toMatchObject({
      stage: 'system-prompt',
      status: 'finished',
      nodeCount: 28,
      calls: 0,
      source: { kind: 'published-trace', model: MODEL },
    });
    expect(row).not.toHaveProperty('needsConnection');
  });

  it('shows each level as a node of the beam, with its evaluation and no answer or query', async () => {
    const detail = await studio.runs.get(id);
    expect(detail.tree.map((n) => n.level)).toEqual([...Array(28).keys()]);
    expect(detail.tree.every((n) => n.inBeam && n.query === '' && n.output === undefined)).toBe(true);
    // llama2-7b's level 1, as published: Safety 5, Compliance 1, Limitations 4, Empathy 5, Sensitivity 5 → 4.
    expect(detail.tree[0]).toMatchObject({ id: 'trace-1', action: 'initial', reward: 4, score: 4 });
    expect(detail.tree[0]!.state).toBe('You are a helpful assistant.');
    // Level 2: Helpfulness 4, Safety 5, Sensitivity 5, Compliance 5, Empathy 5 → 4.8, a rewrite.
    expect(detail.tree[1]).toMatchObject({ parentId: 'trace-1', action: 'rewrite', reward: 4.8 });
    expect(detail.tree[1]!.aspects?.map((a) => a.score)).toEqual([4, 5, 5, 5, 5]);
    expect(detail.result).toMatchObject({ source: { kind: 'published-trace', model: MODEL }, bestNodeId: 'trace-28' });

    const events: RunEventMessage[] = [];
    await new Promise<void>((resolve) => {
      const stop = studio.runs.subscribe(id, 0, (event) => {
        events.push(event);
        if (event.type === 'run-finished') {
          stop();
          resolve();
        }
      });
    });
    expect(events).toHaveLength(28 * 3 + 1);
  });

  it('runs nothing: resume, fork, bind, cancel and export are refused, saying why', async () => {
    for (const call of [
      studio.runs.resume(id),
      studio.runs.fork(id, 'trace-2'),
      studio.runs.bind(id, { 'published-trace': 'mine' }),
    ]) {
      const { code, message } = await refusal(call);
      expect(code).toBe('conflict');
      expect(message).toMatch(new RegExp(`^run ${id} is the published trace of ${MODEL}: read-only, it cannot be`));
    }
    expect(await refusal(studio.runs.cancel(id))).toMatchObject({ code: 'conflict' });
    expect((await refusal(studio.runs.export(id, 'text'))).message).toMatch(/published trace of llama2-7b.*exported/);
  });

  it('travels as a bundle and is still a published trace where it is imported', async () => {
    const { id: copy } = await studio.runs.importBundle(await studio.runs.exportBundle(id));
    const row = (await studio.runs.list()).find((r) => r.id === copy);
    expect(row).toMatchObject({ status: 'finished', nodeCount: 28, source: { kind: 'published-trace', model: MODEL } });
    expect((await refusal(studio.runs.fork(copy, 'trace-3'))).code).toBe('conflict');
    await studio.runs.remove(copy);
  });

  it('refuses a hostile trace or a missing model name, and lists no run for it', async () => {
    const before = (await studio.runs.list()).length;
    const bad = TRACE.replace('"score": "4"', '"score": "7"');
    expect(await refusal(studio.runs.importTrace({ model: MODEL, content: bad }))).toEqual({
      code: 'invalid-argument',
      message: 'trace: level 1: aspect "Limitations": score: expected a score "1" to "5", got "7"',
    });
    expect(await refusal(studio.runs.importTrace({ model: MODEL, content: 'not json' }))).toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^trace is not valid JSON/),
    });
    expect(await refusal(studio.runs.importTrace({ model: '', content: TRACE }))).toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^model: name the model/),
    });
    expect((await studio.runs.list()).length).toBe(before);
  });
});
