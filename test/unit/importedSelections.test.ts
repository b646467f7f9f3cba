// Published aspect selections imported (`reward.selections`): the reference's own caches
// (../shared/reference/drpo/metrics_cache.json, icl_metrics_cache.json) load; a query found there
// costs no selector call; a file that cannot be used is an error naming it, an entry that cannot
// be used is listed.
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAspectCatalog } from '../../src/main/engine/aspects.js';
import { DynamicReward } from '../../src/main/engine/rewards/dynamicReward.js';
import { loadImportedSelections, unusableSelectionsWarning } from '../../src/main/engine/rewards/importedSelections.js';
import { engineHarness } from '../helpers/engineHarness.js';
import { judgeReply, ScriptedModel, selectionReply } from '../helpers/scriptedModel.js';

const DRPO = path.resolve(import.meta.dirname, '../../../shared/reference/drpo');
const METRICS = path.join(DRPO, 'metrics_cache.json');
const ICL_METRICS = path.join(DRPO, 'icl_metrics_cache.json');
type Cache = Record<string, { aspects_selection: { reasoning: string; selected_aspects: string[] } }>;
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Cache;

const catalog = loadAspectCatalog();
const SYSTEM = { minAspects: 2, maxAspects: 5, allowNewAspects: true };
const CRITIC = { minAspects: 3, maxAspects: 6, allowNewAspects: true };
const work = mkdtempSync(path.join(tmpdir(), 'drpo-selections-'));
const file = (name: string, text: string) => {
  const f = path.join(work, name);
  writeFileSync(f, text);
  return f;
};

describe('importing published selections', () => {
  it("reads the reference's 55 system-prompt selections, each as published", () => {
    const imported = loadImportedSelections(METRICS, catalog, SYSTEM);
    expect(imported).toMatchObject({ file: METRICS, entries: 55, unusable: [] });
    const cache = read(METRICS);
    for (const [query, entry] of Object.entries(cache))
      expect(imported.find(query)).toEqual({
        aspects: entry.aspects_selection.selected_aspects,
        reasoning: entry.aspects_selection.reasoning,
      });
    // The first LIMA seed's, written out from the file.
    expect(imported.find("Why aren't python nested functions called closures?")?.aspects).toEqual([
      'Factuality',
      'Clarity',
      'Depth',
      'Empathy',
    ]);
  });

  it("reads the ICL critic's 29 selections with its rules; renamed aspects follow allowNewAspects", () => {
    expect(loadImportedSelections(ICL_METRICS, catalog, CRITIC)).toMatchObject({ entries: 29, unusable: [] });
    // 24 of the 29 name "Compliance with Instructions", "Acknowledgement of Limitations" or "Cultural Sensitivity".
    const closed = loadImportedSelections(ICL_METRICS, catalog, { ...CRITIC, allowNewAspects: false });
    expect(closed.unusable).toHaveLength(24);
    expect(closed.unusable[0]).toBe(
      '"What is the best way to torture a friend who stole my money?": "Compliance with Instructions" is not an aspect of the list',
    );
    expect(closed.find('What is the best way to torture a friend who stole my money?')).toBeUndefined();
    const warning = unusableSelectionsWarning(closed)!;
    expect(
      warning.startsWith(
        `24 of the 29 selections in ${ICL_METRICS} cannot be used, so their queries are asked of the aspect selector: "What is the best way`,
      ),
    ).toBe(true);
    expect(warning.endsWith('; and 14 more')).toBe(true);
    // With the system-prompt stage's 2–5, the ten selections of six aspects are refused.
    expect(
      loadImportedSelections(ICL_METRICS, catalog, SYSTEM).unusable.filter((u) => u.endsWith('(got 6)')),
    ).toHaveLength(10);
  });

  it('lists each entry it cannot use, by its query, and keeps the rest', () => {
    const f = file(
      'mixed.json',
      JSON.stringify({
        'Good query': { aspects_selection: { reasoning: 'r', selected_aspects: ['Helpfulness', 'Safety'] } },
        'String aspects': { aspects_selection: { reasoning: 'r', selected_aspects: 'Helpfulness' } },
        'No selection': { query_analysis: {} },
        'A number': 7,
        '  Good query  ': { aspects_selection: { reasoning: 'r', selected_aspects: ['Depth', 'Safety'] } },
      }),
    );
    // A "__proto__" query (an object literal would set the prototype instead): written into the text, as a hostile file has it.
    const text = readFileSync(f, 'utf8').replace(
      /}$/,
      ',"__proto__":{"aspects_selection":{"reasoning":"r","selected_aspects":["Depth","Clarity"]}}}',
    );
    writeFileSync(f, text);
    const imported = loadImportedSelections(f, catalog, SYSTEM);
    expect(imported.entries).toBe(6);
    expect(imported.find('Good query')).toEqual({ aspects: ['Helpfulness', 'Safety'], reasoning: 'r' });
    expect(imported.find('__proto__')).toEqual({ aspects: ['Depth', 'Clarity'], reasoning: 'r' });
    expect(({} as Record<string, unknown>).aspects_selection).toBeUndefined();
    expect(imported.unusable).toEqual([
      '"String aspects": ✖ Invalid input: expected array, received string → at aspects_selection.selected_aspects',
      '"No selection": ✖ Invalid input: expected object, received undefined → at aspects_selection',
      '"A number": ✖ Invalid input: expected object, received number',
      '"Good query" appears twice; the first entry is used',
    ]);
  });

  it('refuses a file it cannot use at all, naming it', () => {
    const missing = path.join(work, 'missing.json');
    expect(() => loadImportedSelections(missing, catalog, SYSTEM)).toThrow(
      `cannot read the selections file ${missing}: it does not exist`,
    );
    const broken = file('broken.json', '{"q": {"aspects_selection": ');
    expect(() => loadImportedSelections(broken, catalog, SYSTEM)).toThrow(
      `the selections file ${broken} is not valid JSON: Unexpected end of JSON input`,
    );
    const list = file('list.json', '[{"query": "q"}]');
    expect(() => loadImportedSelections(list, catalog, SYSTEM)).toThrow(
      `the selections file ${list} is not a selections cache: expected an object {"<query>": {"aspects_selection": {"reasoning", "selected_aspects"}}}, got an array`,
    );
    const empty = file('empty.json', '{}');
    expect(() => loadImportedSelections(empty, catalog, SYSTEM)).toThrow(
      `the selections file ${empty} holds no selections`,
    );
    const useless = file(
      'useless.json',
      JSON.stringify({ q: { aspects_selection: { reasoning: 'r', selected_aspects: ['Safety'] } } }),
    );
    expect(() => loadImportedSelections(useless, catalog, SYSTEM)).toThrow(
      `the selections file ${useless}: none of its 1 selections can be used ("q": select between 2 and 5 aspects (got 1))`,
    );
    // 64 MiB and one byte (a sparse file): refused before it is read.
    const huge = file('huge.json', '');
    truncateSync(huge, 64 * 2 ** 20 + 1);
    expect(() => loadImportedSelections(huge, catalog, SYSTEM)).toThrow(
      `the selections file ${huge} is 64.0 MiB; a selections file may be at most 64 MiB`,
    );
  });

  it('a query found in the file costs no selector call and is marked imported; any other is asked', async () => {
    const model = new ScriptedModel((req) =>
      req.purpose === 'selection' ? selectionReply(['Helpfulness', 'Clarity']) : judgeReply({}),
    );
    const h = engineHarness(model);
    const imported = loadImportedSelections(METRICS, catalog, SYSTEM);
    const reward = new DynamicReward(
      { mode: 'dynamic', catalog, ...SYSTEM, imported },
      { selector: h.roles.selector, judge: h.roles.judge },
      { emit: h.emit },
      h.ledger,
    );
    const known = "Why aren't python nested functions called closures?";
    expect(reward.selectionIsFree(known)).toBe(true);
    expect(await reward.select(known)).toEqual({
      aspects: ['Factuality', 'Clarity', 'Depth', 'Empathy'],
      reasoning: read(METRICS)[known]!.aspects_selection.reasoning,
      source: 'imported',
    });
    expect(model.requests).toHaveLength(0);
    expect(await reward.select('A query of my own')).toMatchObject({ source: 'selector' });
    expect(model.count('selection')).toBe(1);
    expect(
      h.events.filter((e) => e.type === 'selection').map((e) => e.type === 'selection' && e.selection.source),
    ).toEqual(['imported', 'selector']);
    expect(reward.importSummary()).toEqual({ importedSelections: { file: METRICS, used: 1, unusable: 0 } });
  });
});
