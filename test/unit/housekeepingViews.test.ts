// What the studio's housekeeping shows, from values written out by hand: the Runs and Experiments
// lists' search and filters, a table as CSV and Markdown (RFC 4180 quoting), and when the end of
// a run or experiment is worth a desktop notification (the text of a notification is the
// renderer's; the Playwright spec checks it).
import { describe, expect, it } from 'vitest';
import { endDecision, LONG_RUN_MS, runningSince } from '../../src/shared/endDecision.js';
import {
  experimentMatches,
  type ListFilter,
  matchesQuery,
  NO_FILTER,
  runMatches,
} from '../../src/shared/listFilter.js';
import type { ExperimentSummary, RunSummary } from '../../src/shared/studioApi.js';
import { toCsv, toMarkdown } from '../../src/shared/tableText.js';

const run = (id: string, extra: Partial<RunSummary>): RunSummary => ({
  id,
  stage: 'system-prompt',
  status: 'finished',
  createdAt: 0,
  bestScore: null,
  nodeCount: 0,
  calls: 0,
  ...extra,
});

const RUNS = [
  run('20261201-101500-system-prompt-aaaaaa', { name: 'Polite answers', notes: 'Résumé of width 3' }),
  run('20261201-111500-system-prompt-bbbbbb', { status: 'running', bestPrompt: 'You are a careful assistant.' }),
  run('20261201-121500-icl-cccccc', { stage: 'icl', status: 'finished-with-failures', failed: 2 }),
  run('broken', { stage: null, status: 'damaged' }),
];

const ids = (filter: Partial<ListFilter>) =>
  RUNS.filter((r) => runMatches(r, { ...NO_FILTER, ...filter })).map((r) => r.id.slice(-6));

describe('the lists’ search and filters', () => {
  it('match every word typed, in any order, case and accents ignored, in name, notes, id or best prompt', () => {
    expect(ids({})).toEqual(['aaaaaa', 'bbbbbb', 'cccccc', 'broken']);
    expect(ids({ query: 'polite' })).toEqual(['aaaaaa']);
    expect(ids({ query: 'RESUME width' })).toEqual(['aaaaaa']);
    expect(ids({ query: 'width polite' })).toEqual(['aaaaaa']);
    expect(ids({ query: 'polite careful' })).toEqual([]);
    expect(ids({ query: 'careful assistant' })).toEqual(['bbbbbb']);
    expect(ids({ query: '121500' })).toEqual(['cccccc']);
    expect(ids({ query: '   ' })).toHaveLength(4);
  });

  it('filter by status ("finished" takes finished with failures too) and by stage', () => {
    expect(ids({ status: 'running' })).toEqual(['bbbbbb']);
    expect(ids({ status: 'finished' })).toEqual(['aaaaaa', 'cccccc']);
    expect(ids({ status: 'damaged' })).toEqual(['broken']);
    expect(ids({ status: 'paused' })).toEqual([]);
    expect(ids({ stage: 'icl' })).toEqual(['cccccc']);
    expect(ids({ stage: 'system-prompt', status: 'finished' })).toEqual(['aaaaaa']);
  });

  it('search an experiment’s name, notes, id, setups and targets', () => {
    const experiment: ExperimentSummary = {
      id: '20261201-experiment-dddddd',
      status: 'paused',
      createdAt: 0,
      items: 3,
      setups: ['basic', 'drpo-best'],
      targets: ['qwen2.5-0.5b'],
      judged: 0,
      total: 6,
      name: 'Transfer to Qwen',
    };
    const hit = (filter: Partial<ListFilter>) => experimentMatches(experiment, { ...NO_FILTER, ...filter });
    expect(hit({ query: 'transfer' })).toBe(true);
    expect(hit({ query: 'drpo-best qwen2.5' })).toBe(true);
    expect(hit({ query: 'dddddd' })).toBe(true);
    expect(hit({ query: 'llama' })).toBe(false);
    expect(hit({ status: 'paused' })).toBe(true);
    expect(hit({ status: 'finished' })).toBe(false);
    expect(matchesQuery('x', [undefined, ''])).toBe(false);
  });
});

describe('tables as text', () => {
  const table = {
    name: 'aspects',
    title: 'Per-aspect | means',
    header: ['Model', 'Setup', 'Avg.'],
    rows: [
      ['gpt, mini', 'say "hi"', '4.20'],
      ['line\nbreak', 'plain', '–'],
    ],
  };

  it('CSV quotes a field with a comma, a quote or a line break, its quotes doubled', () => {
    expect(toCsv(table)).toBe('Model,Setup,Avg.\n"gpt, mini","say ""hi""",4.20\n"line\nbreak",plain,–\n');
    expect(toCsv({ title: '', header: ['a'], rows: [['cr\rhere']] })).toBe('a\n"cr\rhere"\n');
  });

  it('Markdown is a heading and a pipe table, pipes escaped and line breaks flattened', () => {
    expect(toMarkdown(table)).toBe(
      [
        '### Per-aspect | means',
        '',
        '| Model | Setup | Avg. |',
        '| --- | --- | --- |',
        '| gpt, mini | say "hi" | 4.20 |',
        '| line break | plain | – |',
        '',
      ].join('\n'),
    );
  });
});

describe('the end of a long run, as a desktop notification', () => {
  const base = { since: 1_000_000, now: 1_000_000 + LONG_RUN_MS, inSight: false, permission: 'granted' as const };

  it('keeps watching while it runs, notifies of finished, finished with failures, failed and paused', () => {
    expect(endDecision({ ...base, status: 'running' })).toBe('watch');
    for (const status of ['finished', 'finished-with-failures', 'failed', 'paused'] as const)
      expect(endDecision({ ...base, status }), status).toBe('notify');
  });

  it('drops it silently when cancelled or damaged, short, in sight, or not permitted', () => {
    expect(endDecision({ ...base, status: 'cancelled' })).toBe('drop');
    expect(endDecision({ ...base, status: 'damaged' })).toBe('drop');
    expect(endDecision({ ...base, status: 'finished', now: base.since + LONG_RUN_MS - 1 })).toBe('drop');
    expect(endDecision({ ...base, status: 'finished', inSight: true })).toBe('drop');
    expect(endDecision({ ...base, status: 'finished', permission: 'denied' })).toBe('drop');
    expect(endDecision({ ...base, status: 'finished', permission: 'default' })).toBe('drop');
    expect(endDecision({ ...base, status: 'finished', permission: 'unsupported' })).toBe('drop');
  });

  it('counts from the resume, else from the first event, else from when it was first watched', () => {
    expect(runningSince({ watchedAt: 30, resumedAt: 20 }, 10)).toBe(20);
    expect(runningSince({ watchedAt: 30 }, 10)).toBe(10);
    expect(runningSince({ watchedAt: 30 }, 0)).toBe(30);
  });
});
