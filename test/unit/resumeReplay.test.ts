import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { a5SystemPromptCalls } from '../../src/main/engine/costEstimate.js';
import { createLexicalRetriever } from '../../src/main/engine/retrieval/lexicalRetriever.js';
import { systemPromptPlan } from '../../src/main/engine/search/searchPlan.js';
import { optimizeSystemPrompt } from '../../src/main/engine/systemPromptStage.js';
import { CallCache } from '../../src/main/llm/callCache.js';
import { type RunEvent, RunLog, readRunLog } from '../../src/main/store/runLog.js';
import { ModelCallError } from '../../src/plugins/contract.js';
import { engineHarness } from '../helpers/engineHarness.js';
import {
  judgedAspects,
  judgeReply,
  ScriptedModel,
  type ScriptedRequest,
  selectionReply,
  transitionReply,
} from '../helpers/scriptedModel.js';

const queries = ['q one', 'q two', 'q three', 'q four'];
const plan = systemPromptPlan({
  algorithm: 'beam',
  width: 2,
  samples: 3,
  depth: 4,
  carryOverAbove: 4.5,
  maxDepthIncrease: 10,
});

// Sampled optimizer replies differ per call, as a real sampler's would.
function script() {
  let sample = 0;
  return (req: ScriptedRequest) => {
    if (req.purpose === 'selection') return selectionReply(['Helpfulness', 'Depth']);
    if (req.purpose === 'generation') return `answer ${req.text.length % 97}`;
    if (req.purpose === 'judgement')
      return judgeReply(
        Object.fromEntries(judgedAspects(req.text).map((a, i) => [a, 1 + ((req.text.length + i) % 4)])),
      );
    sample += 1;
    return transitionReply(`prompt sample ${sample}`);
  };
}

function run(h: ReturnType<typeof engineHarness>, signal?: AbortSignal) {
  return optimizeSystemPrompt(
    {
      initialPrompt: 'You are a helpful assistant.',
      queries,
      retriever: createLexicalRetriever([{ query: 'q example', answer: 'an answer' }]),
      k: 1,
      format: 'drpo',
      plan,
      historySize: 5,
      budget: a5SystemPromptCalls(2, 3, 4),
      base: h.roles.base,
      optimizer: h.roles.optimizer,
      reward: h.reward,
      events: { emit: h.emit },
      ledger: h.ledger,
    },
    signal,
  );
}

describe('resuming a killed run', () => {
  it('replays finished calls from the log and pays only for the rest', async () => {
    // First session: cancelled after 20 backend requests.
    const controller = new AbortController();
    const answer = script();
    const first = new ScriptedModel((req, i) => {
      if (i === 20) controller.abort();
      return answer(req);
    });
    const a = engineHarness(first, { concurrency: 3 });
    await expect(run(a, controller.signal)).rejects.toBeInstanceOf(ModelCallError);
    const paid = a.events.filter((e) => e.type === 'call');
    expect(paid.length).toBeGreaterThan(5);

    // Second session: the cache is rebuilt from the log's call events only.
    const cache = new CallCache();
    for (const e of paid) if (e.type === 'call') cache.set(e.key, { texts: e.texts }, false);
    const second = new ScriptedModel(script());
    const b = engineHarness(second, { cache });
    const resumed = await run(b);
    const repaid = b.events.filter((e) => e.type === 'call' && paid.some((p) => p.type === 'call' && p.key === e.key));
    expect(repaid).toEqual([]);
    expect(b.ledger.totals().cacheHits).toBeGreaterThanOrEqual(paid.length);

    // And the resumed run ends where an uninterrupted one does.
    const whole = engineHarness(new ScriptedModel(script()));
    const uninterrupted = await run(whole);
    expect(resumed.nodes.length).toBe(uninterrupted.nodes.length);
  });
});

describe('the run log', () => {
  it('cuts a torn last line, keeps every complete one, and does not write replayed engine events twice', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'drpo-log-')), 'events.jsonl');
    const log = new RunLog(file);
    const node: RunEvent = {
      type: 'node',
      id: '0',
      parentId: null,
      level: 0,
      state: 'p',
      action: 'initial',
      query: 'q',
    };
    log.append({ type: 'run-started', stage: 'system-prompt', version: '1' });
    log.append(node);
    appendFileSync(file, '{"seq": 2, "type": "call", "ro'); // a kill mid-write
    const reopened = new RunLog(file);
    expect(reopened.previous.map((e) => e.type)).toEqual(['run-started', 'node']);
    reopened.append({ type: 'run-resumed' });
    reopened.append(node); // the replay emits it again
    reopened.append({ type: 'beam', level: 0, ids: ['0'] });
    const { events, tornBytes } = readRunLog(file);
    expect(tornBytes).toBe(0);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [0, 'run-started'],
      [1, 'node'],
      [2, 'run-resumed'],
      [3, 'beam'],
    ]);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('writes each event as one JSON line of seq, ts and the event, also once the folder is let go', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'drpo-log-')), 'events.jsonl');
    const log = new RunLog(file);
    const warning = log.append({ type: 'warning', message: 'a "quoted" word,\na second line' })!;
    log.close();
    const late = log.append({ type: 'run-finished' })!; // a call settling after its run ended
    expect(warning).toMatchObject({ seq: 0, type: 'warning' });
    expect(late).toMatchObject({ seq: 1, type: 'run-finished' });
    expect(readFileSync(file, 'utf8')).toBe(
      `{"seq":0,"ts":${warning.ts},"type":"warning","message":"a \\"quoted\\" word,\\na second line"}\n` +
        `{"seq":1,"ts":${late.ts},"type":"run-finished"}\n`,
    );
  });
});
