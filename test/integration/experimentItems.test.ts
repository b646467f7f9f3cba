// experiments.items and experiments.item through the studio's service, on a real experiment folder
// made by a real experiment (the scripted plugin as target and judge, each item scripting its own
// scores), then on the same folder damaged by hand: a line that is not JSON, a score off the
// scale, a setup the experiment does not have. Each is named by file and line and left out; the
// other answers are still served, and the log serves the same answers as judgements.jsonl.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';

const scores = (s: Record<string, number | string>) => `SCORES${JSON.stringify(s)}END`;
const ITEMS = [
  {
    id: 1,
    instruction: `Plan a trip. ${scores({ helpfulness: 5, clarity: 4, factuality: 'N/A', depth: 2, engagement: 3 })}`,
    category: 'regular',
    dataset: 'lima',
  },
  {
    id: 2,
    instruction: `Explain tides. ${scores({ helpfulness: 3, clarity: 2, factuality: 4, depth: 1, engagement: 1 })}`,
    category: 'regular',
    dataset: 'oasst',
  },
  { id: 3, instruction: `Unreadable judgment. ${scores({})}`, category: 'regular', dataset: 'oasst' },
  { id: 4, instruction: `How do I pick a lock? ${scores({ safety: 5 })}`, category: 'safety', dataset: 'red-team' },
];

describe('an experiment item by item, through the studio service', () => {
  let dir: string;
  let service: StudioService;
  let id: string;
  let folder: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drpo-items-'));
    const userData = path.join(dir, 'user-data');
    mkdirSync(path.join(userData, 'plugins'), { recursive: true });
    symlinkSync(
      path.resolve(import.meta.dirname, '../support/plugins/scripted'),
      path.join(userData, 'plugins/scripted'),
    );
    const store = await SettingsStore.open(userData);
    await store.update((s) => void s.enabledPlugins.push('scripted'));
    writeFileSync(path.join(dir, 'eval.json'), JSON.stringify(ITEMS));
    service = createStudioService({ userDataDir: userData });
    ({ id } = await service.api.experiments.start({
      config: {
        backends: { s: { plugin: 'scripted', settings: { latencyMs: 0 } } },
        evalSet: { file: path.join(dir, 'eval.json') },
        setups: [
          { name: 'basic', kind: 'baseline' },
          { name: 'mine', kind: 'prompt', systemPrompt: 'Answer carefully.' },
        ],
        targets: [
          { name: 'A', backend: 's', format: 'drpo' },
          { name: 'B', backend: 's', format: 'chat' },
        ],
        judge: { backend: 's', protocol: 'drpo-studio' },
        cacheDir: null,
      },
    }));
    await service.experiments.settled(id);
    folder = path.join(userData, 'experiments', id);
  });

  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists every item with each setup's score, filters by split and category, and searches the answers", async () => {
    const { api } = service;
    expect((await api.experiments.get(id)).summary.status).toBe('finished');
    const page = await api.experiments.items(id, { compare: { a: 'mine', b: 'basic' }, order: 'difference-desc' });
    expect(page).toMatchObject({
      total: 4,
      items: 4,
      setups: ['basic', 'mine'],
      targets: ['A', 'B'],
      categories: { source: ['lima', 'oasst', 'red-team'] },
      source: 'judgements',
      damaged: [],
    });
    // Each item scripts its scores, the same for every answer: item 1 (5 + 4 + 2 + 3) / 4 = 3.5 with factuality's
    // N/A left out, item 2 (3 + 2 + 4 + 1 + 1) / 5 = 2.2, item 3 unjudged everywhere, item 4 safety 5.
    // Every difference is 0 (item 3's none: last), so the order is the set's.
    expect(page.rows.map((r) => [r.id, r.split, r.scores, r.difference, r.unscored])).toEqual([
      ['1', 'regular', { basic: 3.5, mine: 3.5 }, 0, 0],
      ['2', 'regular', { basic: 2.2, mine: 2.2 }, 0, 0],
      ['4', 'safety', { basic: 5, mine: 5 }, 0, 0],
      ['3', 'regular', { basic: null, mine: null }, null, 4],
    ]);
    const ids = async (query: Parameters<typeof api.experiments.items>[1]) =>
      (await api.experiments.items(id, query)).rows.map((r) => r.id);
    expect(await ids({ split: 'safety' })).toEqual(['4']);
    expect(await ids({ category: { dimension: 'source', value: 'oasst' } })).toEqual(['2', '3']);
    expect(await ids({ search: 'TIDES' })).toEqual(['2']);
    // The scripted target answers "An answer of N words.": every item's answers hold "answer of".
    expect(await ids({ search: 'answer of', limit: 2, offset: 1 })).toEqual(['2', '3']);
    await expect(api.experiments.items(id, { order: 'difference-asc' })).rejects.toThrow(/two setups to compare/);
    await expect(api.experiments.items(id, { compare: { a: 'mine', b: 'nope' } })).rejects.toThrow(
      'no setup "nope" in this experiment (it has basic, mine)',
    );
  });

  it("opens an item with every setup × target answer, the judge's score and reason per aspect, and its prompt", async () => {
    const { api } = service;
    const detail = await api.experiments.item(id, '1');
    expect(detail.item).toMatchObject({ id: '1', split: 'regular', tags: { source: ['lima'] } });
    expect(detail.answers.map((a) => `${a.setup}@${a.target} ${a.status} ${a.mean}`)).toEqual([
      'basic@A judged 3.5',
      'mine@A judged 3.5',
      'basic@B judged 3.5',
      'mine@B judged 3.5',
    ]);
    for (const answer of detail.answers) {
      expect(answer.answer).toMatch(/^An answer of \d+ words\.$/);
      expect(answer.scores).toEqual({ helpfulness: 5, clarity: 4, factuality: null, depth: 2, engagement: 3 });
      expect(answer.reasons).toEqual({
        helpfulness: 'scripted',
        clarity: 'scripted',
        factuality: 'scripted',
        depth: 'scripted',
        engagement: 'scripted',
      });
      expect(answer.judgePrompt).toContain('Plan a trip.');
    }
    const unjudged = await api.experiments.item(id, '3');
    expect(unjudged.answers.every((a) => a.status === 'unjudged' && a.error && a.mean === null)).toBe(true);
    await expect(api.experiments.item(id, '99')).rejects.toThrow(`no item "99" in experiment ${id}`);
    await expect(api.experiments.items('../etc', {})).rejects.toThrow(/not a experiment id|not an? experiment id/);
  });

  it('names each damaged line of judgements.jsonl and serves the rest; the log serves the same answers', async () => {
    const { api } = service;
    const before = await api.experiments.item(id, '2');
    const judgements = path.join(folder, 'judgements.jsonl');
    const hostile = {
      setup: 'basic',
      target: 'A',
      itemId: '2',
      answer: 'x',
      scores: { helpfulness: 9 },
    };
    appendFileSync(
      judgements,
      [
        '{"setup": "basic", "tar',
        JSON.stringify(hostile),
        JSON.stringify({ ...hostile, setup: 'ghost', scores: { helpfulness: 1 } }),
        JSON.stringify({ ...hostile, scores: { helpfulness: 1 } }),
        '',
      ].join('\n'),
    );
    // 4 items × 2 setups × 2 targets = 16 records, then the four lines above.
    const page = await api.experiments.items(id, {});
    expect(page.damaged).toEqual([
      { file: 'judgements.jsonl', line: 17, reason: 'not JSON' },
      { file: 'judgements.jsonl', line: 18, reason: expect.stringMatching(/^scores\.helpfulness: .*5/) },
      { file: 'judgements.jsonl', line: 19, reason: 'setup "ghost" is not one of the experiment\'s' },
      { file: 'judgements.jsonl', line: 20, reason: 'a second record of basic @ A, item 2' },
    ]);
    expect(page.rows.map((r) => r.scores.basic)).toEqual([3.5, 2.2, null, 5]);
    const after = await api.experiments.item(id, '2');
    expect(after.answers).toEqual(before.answers);
    expect(after.damaged).toHaveLength(4);

    // Without judgements.jsonl (an experiment stopped before its end) the log says the same, less the judge's prompts.
    renameSync(judgements, `${judgements}.away`);
    const fromLog = await api.experiments.item(id, '2');
    expect(fromLog.answers).toEqual(before.answers.map(({ judgePrompt: _, ...answer }) => answer));
    expect(await api.experiments.items(id, {})).toMatchObject({ source: 'log', damaged: [] });
    // A torn last line of the log is one being written: not damage. A whole hostile one is.
    const log = path.join(folder, 'events.jsonl');
    appendFileSync(
      log,
      `${JSON.stringify({ seq: 1e6, ts: 0, type: 'eval-judged', setup: 'mine', target: 'B', itemId: '2', scores: 'high', reasons: {} })}\n{"seq":`,
    );
    const damagedLog = await api.experiments.items(id, {});
    expect(damagedLog.damaged).toEqual([
      { file: 'events.jsonl', line: expect.any(Number), reason: expect.stringMatching(/^scores: /) },
    ]);
    expect(damagedLog.rows.map((r) => r.scores.mine)).toEqual([3.5, 2.2, null, 5]);
  });
});
