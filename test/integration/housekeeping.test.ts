// Housekeeping through the studio's API on real folders: a run's and an experiment's name and notes
// (meta.json beside config.json; events.jsonl never touched), kept across a new service (a
// restart), a damaged meta.json reported without hiding the item, duplicates that run the same
// config under "Copy of …", and the CLI's `runs list` name column and `runs rename`.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { checkArguments } from '../../src/shared/apiSchemas.js';
import { runCli } from '../support/cliProcess.js';
import { scriptedRun, scriptedUserData } from '../support/scriptedUserData.js';

let userData: string;
let service: StudioService;

beforeEach(async () => {
  userData = await scriptedUserData();
  service = createStudioService({ userDataDir: userData });
});

afterEach(async () => {
  await service.close();
  rmSync(userData, { recursive: true, force: true });
});

describe('runs: name, notes, duplicate', () => {
  it('names a finished run without touching its log, keeps it across a restart, and reports a damaged meta.json', async () => {
    const { api } = service;
    const { id } = await api.runs.start(scriptedRun(1));
    await service.runs.settled(id);
    const dir = path.join(userData, 'runs', id);
    const log = readFileSync(path.join(dir, 'events.jsonl'), 'utf8');

    expect(await api.runs.describe(id, { name: '  Short answers  ', notes: 'width 1\nscripted' })).toEqual({
      name: 'Short answers',
      notes: 'width 1\nscripted',
    });
    expect(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8'))).toEqual({
      name: 'Short answers',
      notes: 'width 1\nscripted',
    });
    expect(readFileSync(path.join(dir, 'events.jsonl'), 'utf8')).toBe(log);
    // Only the notes given: the name stays. An empty name clears it.
    expect(await api.runs.describe(id, { notes: 'only notes' })).toEqual({
      name: 'Short answers',
      notes: 'only notes',
    });
    expect(await api.runs.describe(id, { name: '' })).toEqual({ notes: 'only notes' });
    await api.runs.describe(id, { name: 'Short answers' });

    await service.close();
    service = createStudioService({ userDataDir: userData });
    const [run] = await service.api.runs.list();
    expect(run).toMatchObject({ id, name: 'Short answers', notes: 'only notes', status: 'finished' });
    // The best node's text, for the list's search.
    const detail = await service.api.runs.get(id);
    const best = detail.tree.filter((n) => n.score === detail.bestScore)[0];
    expect(run!.bestPrompt).toBe(best!.state);

    // A meta.json that is not JSON: the run is listed as ever, without a name, the file named.
    writeFileSync(path.join(dir, 'meta.json'), '{"name": ');
    const [damaged] = await service.api.runs.list();
    expect(damaged).toMatchObject({ id, status: 'finished' });
    expect(damaged!.name).toBeUndefined();
    expect(damaged!.metaDamaged?.file).toBe(path.join(dir, 'meta.json'));
    expect(damaged!.metaDamaged?.reason).toMatch(/^meta\.json is not valid JSON/);
    // One whose name is no string: zod says which field.
    writeFileSync(path.join(dir, 'meta.json'), '{"name": 7}');
    expect((await service.api.runs.list())[0]!.metaDamaged?.reason).toMatch(/^name: /);
    // Describing writes a fresh one.
    expect(await service.api.runs.describe(id, { name: 'Fixed' })).toEqual({ name: 'Fixed' });
    expect((await service.api.runs.list())[0]).toMatchObject({ name: 'Fixed' });
    expect((await service.api.runs.list())[0]!.metaDamaged).toBeUndefined();
  });

  it('duplicates a run: the same stage and config, started at once, named after the original', async () => {
    const { api } = service;
    const { id } = await api.runs.start(scriptedRun(1));
    await service.runs.settled(id);
    await api.runs.describe(id, { name: 'Baseline' });
    const { id: copy } = await api.runs.duplicate(id);
    expect(copy).not.toBe(id);
    await service.runs.settled(copy);
    const [original, duplicate] = [await api.runs.get(id), await api.runs.get(copy)];
    // Read back through the config normalizer (as fork does): what the run does is the same.
    const { backends, search, initialPrompt, data } = original.config as Record<string, unknown>;
    expect(duplicate.config).toMatchObject({ backends, search, initialPrompt, data });
    expect(duplicate.stage).toBe('system-prompt');
    expect(duplicate).toMatchObject({ status: 'finished', name: 'Copy of Baseline' });
    expect(duplicate.notes).toBeUndefined();
  });

  it('refuses a name over one line and unknown fields at the API boundary, and an unknown run', async () => {
    expect(() => checkArguments('runs.describe', ['r', { name: 'a\nb' }])).toThrow(/a name is one line/);
    expect(() => checkArguments('runs.describe', ['r', { title: 'x' }])).toThrow(/title/);
    expect(() => checkArguments('runs.describe', ['r', { name: 'x'.repeat(201) }])).toThrow(/description\.name/);
    expect(() => checkArguments('runs.describe', ['../x', {}])).toThrow(/id/);
    await expect(service.api.runs.describe('nope', { name: 'x' })).rejects.toThrow(/no run nope/);
    await expect(service.api.runs.duplicate('nope')).rejects.toThrow(/no run nope/);
  });
});

describe('experiments: name, notes, duplicate', () => {
  it('names an experiment, lists it with its name, and duplicates it under "Copy of …"', async () => {
    const { api } = service;
    await api.datasets.import(
      'evals',
      'eval-set',
      'evals.json',
      JSON.stringify([{ id: 1, instruction: 'Plan a trip.' }]),
    );
    const { id } = await api.experiments.start({
      config: {
        backends: { scripted: { plugin: 'scripted', settings: { latencyMs: 1 } } },
        evalSet: { dataset: 'evals' },
        setups: [{ name: 'basic', kind: 'baseline' }],
        targets: [{ name: 'T', backend: 'scripted' }],
        judge: { backend: 'scripted' },
        cacheDir: null,
      },
    });
    await service.experiments.settled(id);
    expect(await api.experiments.describe(id, { name: 'Trip', notes: 'one item' })).toEqual({
      name: 'Trip',
      notes: 'one item',
    });
    expect((await api.experiments.list())[0]).toMatchObject({ id, name: 'Trip', notes: 'one item' });

    const { id: copy } = await api.experiments.duplicate(id);
    await service.experiments.settled(copy);
    const duplicate = await api.experiments.get(copy);
    expect(duplicate.summary).toMatchObject({ status: 'finished', name: 'Copy of Trip', items: 1, setups: ['basic'] });
    expect(duplicate.config).toEqual((await api.experiments.get(id)).config);
  });
});

describe('drpo-studio runs list | rename (the built CLI)', () => {
  it('names a run and lists the name after its status', async () => {
    const { id } = await service.api.runs.start(scriptedRun(1));
    await service.runs.settled(id);
    const renamed = runCli(
      ['runs', 'rename', id, 'My "best" run', '--notes', 'from the CLI', '--user-data', userData],
      userData,
    );
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toBe(`${id}  "My \\"best\\" run"\n`);
    const listed = runCli(['runs', 'list', '--user-data', userData], userData);
    expect(listed.stdout).toBe(`${id}  finished  "My \\"best\\" run"\n`);
    expect((await service.api.runs.list())[0]).toMatchObject({ name: 'My "best" run', notes: 'from the CLI' });
    const unknown = runCli(['runs', 'rename', 'nope', 'x', '--user-data', userData], userData);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('drpo-studio: no run nope\n');
  });
});
