// A run records the aspect catalog it used (README "A run records the catalog it used"): the
// folder keeps a copy made when the run was created, the run (and its resume) reads that copy, the
// studio shows it, and bundles carry it. Runs use the scripted test plugin through the service.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import type { RunBundle } from '../../src/shared/studioApi.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';
import { scriptedRun, scriptedUserData } from '../support/scriptedUserData.js';

const aspect = (name: string, rubric: string) => ({ name, description: `${name}, in a line.`, rubric, enabled: true });

/** The catalog as the user had it when the run started. */
const AT_START = {
  aspects: [
    aspect('Helpfulness', 'A score of 5 indicates a helpful answer (version A), while a 1 suggests none.'),
    aspect('Clarity', 'A score of 5 indicates a clear answer (version A), while a 1 suggests a muddle.'),
  ],
  staticAspects: ['Helpfulness'],
};

/** The same, edited afterwards. */
const EDITED = {
  aspects: [
    aspect('Helpfulness', 'Version B: be strict about helpfulness.'),
    aspect('Clarity', 'Version B: be strict about clarity.'),
    aspect('Brevity', 'Version B: a 5 for one sentence.'),
  ],
  staticAspects: ['Clarity'],
};

let userDataDir: string;
let service: StudioService;

beforeEach(async () => {
  userDataDir = await scriptedUserData('drpo-run-catalog-');
  service = createStudioService({ userDataDir });
  await service.api.aspects.save(AT_START);
});
afterEach(async () => {
  await service.close();
});

async function finishedRun(latencyMs = 1): Promise<string> {
  const { id } = await service.api.runs.start(scriptedRun(latencyMs));
  await service.runs.settled(id);
  return id;
}

describe('the catalog a run used', () => {
  it('is the one at its start: an edit afterwards changes neither the run nor its view, a later run records the edit', async () => {
    const id = await finishedRun();
    await service.api.aspects.save(EDITED);
    const run = await service.api.runs.get(id);
    expect(run.status).toBe('finished');
    expect(run.catalog).toEqual(AT_START);
    const dir = service.runs.folder(id).dir;
    expect(JSON.parse(readFileSync(path.join(dir, 'aspects.json'), 'utf8'))).toEqual(AT_START);
    expect(service.runs.folder(id).config.reward.aspects).toBe(path.join(dir, 'aspects.json'));

    const later = await finishedRun();
    expect((await service.api.runs.get(later)).catalog).toEqual(EDITED);
    expect((await service.api.runs.get(id)).catalog).toEqual(AT_START);
    // The run view's light read (no log) says the same.
    expect(await service.api.runs.catalog(id)).toEqual(AT_START);
    expect(await service.api.runs.catalog(later)).toEqual(EDITED);
  });

  it("is what a resumed run reads, even once the user's catalog file is damaged", async () => {
    const { id } = await service.api.runs.start(scriptedRun(40, 3));
    await new Promise((r) => setTimeout(r, 300));
    await service.api.runs.pause(id);
    await service.runs.settled(id);
    expect((await service.api.runs.get(id)).status).toBe('paused');
    // Were the resume to read the user's file, it would fail on this.
    writeFileSync(path.join(userDataDir, 'aspects.json'), '{"aspects": [');
    await service.api.runs.resume(id);
    await service.runs.settled(id);
    const run = await service.api.runs.get(id);
    expect(run.status).toBe('finished');
    expect(run.catalog).toEqual(AT_START);
  });

  it('is absent for a run older than the copy, which keeps reading the path its config names', async () => {
    const id = await finishedRun();
    const dir = service.runs.folder(id).dir;
    rmSync(path.join(dir, 'aspects.json'));
    expect((await service.api.runs.get(id)).catalog).toBeUndefined();
    expect(await service.api.runs.catalog(id)).toBeNull();
    expect(service.runs.folder(id).config.reward.aspects).toBe(path.join(userDataDir, 'aspects.json'));
  });

  it('is a clear error for a run that is not there, or whose copy is damaged', async () => {
    await expect(service.api.runs.catalog('no-such-run')).rejects.toMatchObject({ code: 'not-found' });
    const id = await finishedRun();
    writeFileSync(path.join(service.runs.folder(id).dir, 'aspects.json'), '{"aspects": [');
    await expect(service.api.runs.catalog(id)).rejects.toThrow(/aspects\.json/);
  });
});

describe('run bundles', () => {
  it('carry the catalog: the imported run records the one the run really used', async () => {
    const id = await finishedRun();
    await service.api.aspects.save(EDITED);
    const bundle = await service.api.runs.exportBundle(id);
    expect(bundle.catalog).toEqual(AT_START);
    const { id: imported } = await service.api.runs.importBundle(JSON.parse(JSON.stringify(bundle)) as RunBundle);
    expect((await service.api.runs.get(imported)).catalog).toEqual(AT_START);
    expect(existsSync(path.join(service.runs.folder(imported).dir, 'aspects.json'))).toBe(true);
  });

  it('made before bundles carried a catalog import with none recorded', async () => {
    const { catalog: _dropped, ...older } = await service.api.runs.exportBundle(await finishedRun());
    const { id } = await service.api.runs.importBundle(older);
    expect((await service.api.runs.get(id)).catalog).toBeUndefined();
  });

  it.each([
    [
      'a name twice',
      { ...AT_START, aspects: [...AT_START.aspects, { ...AT_START.aspects[0]!, name: 'HELPFULNESS' }] },
      'bundle: catalog: invalid aspect catalog in the bundle: the aspect "HELPFULNESS" appears twice',
    ],
    [
      'nothing enabled',
      { ...AT_START, aspects: AT_START.aspects.map((a) => ({ ...a, enabled: false })) },
      'bundle: catalog: invalid aspect catalog in the bundle: enable at least one aspect',
    ],
    [
      'no aspects at all',
      JSON.parse('{"__proto__": {"polluted": true}, "aspects": [], "staticAspects": ["x"]}'),
      /^bundle: catalog: invalid aspect catalog in the bundle: /,
    ],
  ])('with a catalog a run would refuse (%s) are refused, and nothing is written', async (_, catalog, message) => {
    const bundle = await service.api.runs.exportBundle(await finishedRun());
    const before = (await service.api.runs.list()).length;
    const error = await service.api.runs.importBundle({ ...bundle, catalog }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioApiError);
    expect((error as StudioApiError).code).toBe('invalid-argument');
    expect((error as Error).message).toMatch(message);
    expect(await service.api.runs.list()).toHaveLength(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
