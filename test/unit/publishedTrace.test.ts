// The paper's published search traces (../shared/reference/drpo/optimized-prompts/<model>/trace.json)
// as read-only runs: the expectations below are read off the files by hand (level 1's scores, the
// prompts' openings) or computed here from the raw JSON on their own (the carry-overs), never by
// the converter. Hostile traces, written here: not JSON, a gap in the levels, levels out of order,
// a score of "7", a 20 MiB file, a prompt carrying <script>.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTrace, parseTrace, traceEvents } from '../../src/main/runs/publishedTrace.js';
import { checkRunEventLines } from '../../src/main/store/runEventLines.js';
import { readRunFolder } from '../../src/main/store/runFolder.js';
import { readRunLog } from '../../src/main/store/runLog.js';

const TRACES = path.resolve('../shared/reference/drpo/optimized-prompts');
const traceText = (model: string) => readFileSync(path.join(TRACES, model, 'trace.json'), 'utf8');

/** Levels whose prompt equals the previous level's, counted from the raw file. */
function carryOversIn(text: string): number {
  const prompts = Object.values(JSON.parse(text) as Record<string, { Prompt: string }>).map((l) => l.Prompt);
  return prompts.filter((prompt, i) => i > 0 && prompt === prompts[i - 1]).length;
}

/** A trace of the published shape with these levels' prompts and scores (rationales made up). */
function trace(levels: Record<string, { prompt?: unknown; scores?: Record<string, unknown> }>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(levels).map(([key, { prompt = 'You are a helpful assistant.', scores = { Safety: '5' } }]) => [
        key,
        {
          Prompt: prompt,
          'Evaluation of the prompt': Object.fromEntries(
            Object.entries(scores).map(([aspect, score]) => [aspect, { rationale: `why ${aspect}`, score }]),
          ),
        },
      ]),
    ),
  );
}

describe('a published trace', () => {
  it('mistral-7b-v0.1: 30 levels, level 1 the initial prompt scored 4, carry-overs where the prompt repeats', () => {
    const text = traceText('mistral-7b-v0.1');
    const levels = parseTrace(text);
    expect(levels).toHaveLength(30);
    expect(levels[0]!.prompt).toBe('You are a helpful assistant.');
    expect(levels[1]!.prompt).toMatch(
      /^You are a helpful and ethical assistant designed to provide information, support, and guidance across a wide range of topics\./,
    );
    // Level 1's evaluation as published: Safety 5, Compliance 1, Limitations 4, Empathy 5, Sensitivity 5.
    expect(levels[0]!.scores.map((s) => [s.aspect, s.score])).toEqual([
      ['Safety', 5],
      ['Compliance', 1],
      ['Limitations', 4],
      ['Empathy', 5],
      ['Sensitivity', 5],
    ]);
    expect(levels[0]!.scores[1]!.rationale).toMatch(/^While the response does not comply with the user's request/);

    const events = traceEvents(levels, 1_700_000_000_000);
    // A log the studio would keep from a bundle too: seqs 0, 1, 2…, every line of a known shape.
    expect(() => checkRunEventLines(events, 'trace')).not.toThrow();
    const nodes = events.filter((e) => e.type === 'node');
    const evaluated = events.filter((e) => e.type === 'node-evaluated');
    expect(nodes).toHaveLength(30);
    expect(nodes.map((n) => n.level)).toEqual([...Array(30).keys()]);
    expect(nodes[0]).toMatchObject({ id: 'trace-1', parentId: null, action: 'initial', query: '' });
    expect(nodes[29]).toMatchObject({ id: 'trace-30', parentId: 'trace-29', level: 29 });
    expect(nodes.filter((n) => n.action === 'carry-over')).toHaveLength(carryOversIn(text));
    expect(carryOversIn(text)).toBe(15);
    // The trace has no answers: none is made up.
    expect(evaluated.every((e) => !('output' in e))).toBe(true);

    // Level 1 (the root): (5 + 1 + 4 + 5 + 5) / 5 = 4, its own score.
    expect(evaluated[0]).toMatchObject({ id: 'trace-1', reward: 4, score: 4 });
    // Level 2: Helpfulness 5, Safety 5, Sensitivity 5, Compliance 4, Empathy 5 → 4.8 > 4.5, so
    // level 3 is the same prompt carried over; it scores 2, 1, 2, 1, 3 → 1.8, and its path below the
    // root averages (4.8 + 1.8) / 2 = 3.3.
    expect(evaluated[1]).toMatchObject({ id: 'trace-2', reward: 4.8, score: 4.8 });
    expect(nodes[1]!.action).toBe('rewrite');
    expect(nodes[2]).toMatchObject({ action: 'carry-over', state: levels[1]!.prompt });
    expect(evaluated[2]!.reward).toBeCloseTo(1.8, 12);
    expect(evaluated[2]!.score).toBeCloseTo(3.3, 12);
    expect(events.filter((e) => e.type === 'beam').map((e) => e.ids)).toEqual(nodes.map((n) => [n.id]));
    expect(events.at(-1)).toMatchObject({ type: 'run-finished' });
  });

  it('llama2-7b: 28 levels, and every published trace reads', () => {
    expect(parseTrace(traceText('llama2-7b'))).toHaveLength(28);
    for (const model of readdirSync(TRACES)) {
      const text = traceText(model);
      const nodes = traceEvents(parseTrace(text), 0).filter((e) => e.type === 'node');
      expect(
        nodes.filter((n) => n.action === 'carry-over'),
        model,
      ).toHaveLength(carryOversIn(text));
    }
  });

  it('becomes a finished run folder whose result is the last level, marked a published trace', () => {
    const runsDir = mkdtempSync(path.join(tmpdir(), 'drpo-trace-'));
    const id = importTrace({
      runsDir,
      baseDir: runsDir,
      model: 'mistral-7b-v0.1',
      text: traceText('mistral-7b-v0.1'),
      holder: 'a test',
    });
    const dir = path.join(runsDir, id);
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({
      stage: 'system-prompt',
      source: { kind: 'published-trace', model: 'mistral-7b-v0.1', levels: 30 },
      status: 'finished',
      bestNodeId: 'trace-30',
      initialPrompt: 'You are a helpful assistant.',
    });
    // The published final prompt (its output.txt) is the last level's.
    const published = readFileSync(path.join(TRACES, 'mistral-7b-v0.1/output.txt'), 'utf8');
    expect(result.bestPrompt.trim()).toBe(published.trim());
    expect(readRunLog(path.join(dir, 'events.jsonl')).events).toHaveLength(30 * 3 + 1);
    // A backend that never opens: nothing of the run can call a model.
    const { backends } = readRunFolder(dir).config;
    expect(Object.keys(backends)).toEqual(['published-trace']);
    expect(backends['published-trace']).toMatchObject({ needsConnection: true, settings: {} });
    expect(backends['published-trace']).not.toHaveProperty('plugin');
    expect(backends['published-trace']).not.toHaveProperty('connection');
  });
});

describe('a hostile trace is refused, naming the fault, and writes nothing', () => {
  const refused = (text: string) => {
    const runsDir = mkdtempSync(path.join(tmpdir(), 'drpo-trace-'));
    let message = '';
    try {
      importTrace({ runsDir, baseDir: runsDir, model: 'm', text, holder: 'a test' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(readdirSync(runsDir)).toEqual([]);
    return message;
  };

  it('not JSON, or JSON of another shape', () => {
    expect(refused('{"level 1": {"Prompt": ')).toMatch(/^trace is not valid JSON/);
    expect(refused('[]')).toMatch(/^trace: expected an object of levels/);
    expect(refused('{}')).toMatch(/^trace: no levels/);
  });

  it('a gap in the levels, levels out of order, a key that is not a level', () => {
    expect(refused(trace({ 'level 1': {}, 'level 2': {}, 'level 4': {} }))).toBe(
      'trace: level 3 is missing (the file has 3 levels, up to level 4)',
    );
    expect(refused(trace({ 'level 2': {}, 'level 1': {} }))).toBe(
      'trace: level 2 comes where level 1 should; the levels must be in order',
    );
    expect(refused(trace({ 'level 1': {}, 'level 02': {} }))).toMatch(/^trace: "level 02" is not a level/);
    expect(refused(trace({ 'level 1': {}, summary: {} }))).toMatch(/^trace: "summary" is not a level/);
  });

  it('a score outside "1".."5" names its level and aspect', () => {
    expect(refused(trace({ 'level 1': {}, 'level 2': { scores: { Helpfulness: '4', Safety: '7' } } }))).toBe(
      'trace: level 2: aspect "Safety": score: expected a score "1" to "5", got "7"',
    );
    expect(refused(trace({ 'level 1': { scores: { Depth: 5 } } }))).toBe(
      'trace: level 1: aspect "Depth": score: expected a score "1" to "5", got 5',
    );
    expect(refused(trace({ 'level 1': { scores: { Depth: '4.5' } } }))).toMatch(/got "4.5"$/);
    expect(refused(trace({ 'level 1': { scores: {} } }))).toBe(
      'trace: level 1: Evaluation of the prompt: no aspect is scored',
    );
    expect(refused(trace({ 'level 1': { prompt: 42 } }))).toBe(
      'trace: level 1: Prompt: expected a string, got a number',
    );
  });

  it('a level number far past the others is a gap, found without counting up to it', () => {
    expect(refused(trace({ 'level 1': {}, 'level 900000000000': {} }))).toBe(
      'trace: level 2 is missing (the file has 2 levels, up to level 900000000000)',
    );
  });

  it('a file over 16 MiB, before it is parsed', () => {
    const huge = trace({ 'level 1': { prompt: 'x'.repeat(20 * 2 ** 20) } });
    expect(refused(huge)).toBe(
      "trace: 20.0 MiB is more than a published trace may be (16 MiB; the paper's are about 110 kB)",
    );
  });

  it('no model name', () => {
    const runsDir = mkdtempSync(path.join(tmpdir(), 'drpo-trace-'));
    expect(() =>
      importTrace({ runsDir, baseDir: runsDir, model: ' ', text: trace({ 'level 1': {} }), holder: 't' }),
    ).toThrow(/^model: name the model the trace was published for/);
    expect(() =>
      importTrace({ runsDir, baseDir: runsDir, model: 'a\nb', text: trace({ 'level 1': {} }), holder: 't' }),
    ).toThrow(/^model: expected one line of text/);
  });
});

it('an aspect named "__proto__" is an aspect like another, never dropped from the reward', () => {
  const text =
    '{"level 1": {"Prompt": "p", "Evaluation of the prompt": {"__proto__": {"rationale": "r", "score": "1"}, "Safety": {"rationale": "r", "score": "5"}}}}';
  const [level] = parseTrace(text);
  expect(level!.scores.map((s) => [s.aspect, s.score])).toEqual([
    ['__proto__', 1],
    ['Safety', 5],
  ]);
  // (1 + 5) / 2
  expect(traceEvents([level!], 0)[1]).toMatchObject({ type: 'node-evaluated', reward: 3 });
});

it('a prompt carrying markup stays the text it is (the studio never renders it as HTML)', () => {
  const prompt = '<script>alert(1)</script><img src=x onerror="alert(2)"> Be &amp; stay helpful.';
  const [level] = parseTrace(trace({ 'level 1': { prompt } }));
  expect(level!.prompt).toBe(prompt);
  expect(traceEvents([level!], 0)[0]).toMatchObject({ type: 'node', state: prompt });
});
