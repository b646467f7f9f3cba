// One damaged item never breaks a list: run folders, experiment folders and dataset files are read
// one by one through the studio's API; each damaged one (a config.json that is not JSON or not a
// run's, a log with a broken line in the middle, a missing config, a file where a folder should
// be) is listed as damaged with the file at fault and why, `get` on it says so, and it can be
// removed. Removing refuses a running item and any id that is not a plain name.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';
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

async function rejection(promise: Promise<unknown>): Promise<StudioApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioApiError);
  return error as StudioApiError;
}

describe('damaged runs', () => {
  it('are listed beside the good one with the file and the reason, refused by get, and removable', async () => {
    const { api } = service;
    const { id: good } = await api.runs.start(scriptedRun(1));
    await service.runs.settled(good);
    const runs = path.join(userData, 'runs');
    const goodLog = readFileSync(path.join(runs, good, 'events.jsonl'), 'utf8').split('\n');

    mkdirSync(path.join(runs, 'bad-json'));
    writeFileSync(path.join(runs, 'bad-json', 'config.json'), '{ "stage": "system-prompt", ');
    mkdirSync(path.join(runs, 'not-a-run'));
    writeFileSync(path.join(runs, 'not-a-run', 'config.json'), '{"stage": "training", "config": {}}');
    mkdirSync(path.join(runs, 'bad-line'));
    copyFileSync(path.join(runs, good, 'config.json'), path.join(runs, 'bad-line', 'config.json'));
    writeFileSync(path.join(runs, 'bad-line', 'events.jsonl'), `${goodLog[0]}\n{"seq": 1, "ty\n${goodLog[1]}\n`);
    mkdirSync(path.join(runs, 'no-config'));
    writeFileSync(path.join(runs, 'a-file'), 'where a folder should be');
    symlinkSync(path.join(runs, 'nowhere'), path.join(runs, 'dangling'));

    const listed = await api.runs.list();
    const byId = Object.fromEntries(listed.map((r) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual(
      ['a-file', 'bad-json', 'bad-line', 'dangling', 'no-config', 'not-a-run', good].sort(),
    );
    expect(byId[good]).toMatchObject({ status: 'finished', stage: 'system-prompt' });
    expect(byId[good]!.damaged).toBeUndefined();
    const damaged = (id: string) => ({ status: byId[id]!.status, ...byId[id]!.damaged });
    expect(damaged('bad-json')).toEqual({
      status: 'damaged',
      file: path.join(runs, 'bad-json', 'config.json'),
      reason: expect.stringMatching(/^config\.json is not valid JSON/),
    });
    expect(damaged('not-a-run')).toEqual({
      status: 'damaged',
      file: path.join(runs, 'not-a-run', 'config.json'),
      reason: `not a run's config (no stage "system-prompt" or "icl")`,
    });
    expect(damaged('bad-line')).toEqual({
      status: 'damaged',
      file: path.join(runs, 'bad-line', 'events.jsonl'),
      reason: 'line 2 is not JSON; the log is damaged',
    });
    expect(damaged('no-config')).toEqual({
      status: 'damaged',
      file: path.join(runs, 'no-config', 'config.json'),
      reason: 'the file is missing',
    });
    expect(damaged('a-file')).toEqual({ status: 'damaged', file: path.join(runs, 'a-file'), reason: 'not a folder' });
    expect(damaged('dangling')).toEqual({
      status: 'damaged',
      file: path.join(runs, 'dangling'),
      reason: 'a link to nothing',
    });

    const badLine = await rejection(api.runs.get('bad-line'));
    expect(badLine.code).toBe('invalid-argument');
    expect(badLine.message).toBe(
      `run bad-line is damaged: ${path.join(runs, 'bad-line', 'events.jsonl')}: line 2 is not JSON; the log is damaged`,
    );
    const noConfig = await rejection(api.runs.get('no-config'));
    expect(noConfig.code).toBe('not-found');
    expect(noConfig.message).toContain(path.join(runs, 'no-config', 'config.json'));
    expect((await rejection(api.runs.resume('bad-json'))).message).toContain('config.json');

    for (const id of ['bad-json', 'not-a-run', 'bad-line', 'no-config', 'a-file', 'dangling'])
      await api.runs.remove(id);
    expect((await api.runs.list()).map((r) => r.id)).toEqual([good]);
    expect(existsSync(path.join(runs, 'a-file'))).toBe(false);
    expect(existsSync(path.join(runs, 'bad-line'))).toBe(false);
  });

  it('refuses to remove a running run and any id that is not a plain name; removes a stopped one', async () => {
    const { api } = service;
    const { id } = await api.runs.start(scriptedRun(200, 3));
    const running = await rejection(api.runs.remove(id));
    expect(running.code).toBe('conflict');
    expect(running.message).toBe(`run ${id} is running; pause or cancel it before removing it`);
    await api.runs.pause(id);

    writeFileSync(path.join(userData, 'config.json'), '{}');
    for (const bad of ['..', '.', '...', '../runs', `../runs/${id}`, `${id}.lock`, '.hidden'])
      expect((await rejection(api.runs.remove(bad))).code, bad).toBe('invalid-argument');
    expect((await rejection(api.runs.remove('no-such-run'))).code).toBe('not-found');
    expect(existsSync(path.join(userData, 'config.json'))).toBe(true);

    await api.runs.remove(id);
    expect(existsSync(path.join(userData, 'runs', id))).toBe(false);
    expect(await api.runs.list()).toEqual([]);
  });
});

describe('damaged experiments and datasets', () => {
  it('are listed beside the good ones, refused by get, and removable', async () => {
    const { api } = service;
    await api.datasets.import(
      'evals',
      'eval-set',
      'evals.json',
      JSON.stringify([{ id: 1, instruction: 'Plan a trip.', category: 'regular', dataset: 'lima' }]),
    );
    const { id: good } = await api.experiments.start({
      config: {
        backends: { scripted: { plugin: 'scripted', settings: { latencyMs: 1 } } },
        evalSet: { dataset: 'evals' },
        setups: [{ name: 'basic', kind: 'baseline' }],
        targets: [{ name: 'T', backend: 'scripted' }],
        judge: { backend: 'scripted' },
        cacheDir: null,
      },
    });
    await service.experiments.settled(good);
    const experiments = path.join(userData, 'experiments');
    mkdirSync(path.join(experiments, 'bad-json'));
    writeFileSync(path.join(experiments, 'bad-json', 'config.json'), 'not json');
    mkdirSync(path.join(experiments, 'bad-line'));
    copyFileSync(path.join(experiments, good, 'config.json'), path.join(experiments, 'bad-line', 'config.json'));
    writeFileSync(
      path.join(experiments, 'bad-line', 'events.jsonl'),
      '{"seq":0,"ts":1,"type":"run-started"}\nnope\n{}\n',
    );

    const listed = await api.experiments.list();
    expect(listed.map((e) => [e.id, e.status]).sort()).toEqual(
      [
        ['bad-json', 'damaged'],
        ['bad-line', 'damaged'],
        [good, 'finished'],
      ].sort(),
    );
    expect(listed.find((e) => e.id === 'bad-line')!.damaged).toEqual({
      file: path.join(experiments, 'bad-line', 'events.jsonl'),
      reason: 'line 2 is not JSON; the log is damaged',
    });
    expect(listed.find((e) => e.id === 'bad-json')!.damaged).toMatchObject({
      file: path.join(experiments, 'bad-json', 'config.json'),
      reason: expect.stringMatching(/^config\.json is not valid JSON/),
    });
    const error = await rejection(api.experiments.get('bad-json'));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain(path.join(experiments, 'bad-json', 'config.json'));
    await api.experiments.remove('bad-json');
    await api.experiments.remove('bad-line');
    expect((await api.experiments.list()).map((e) => e.id)).toEqual([good]);
    expect((await rejection(api.experiments.remove('..'))).code).toBe('invalid-argument');

    const datasets = path.join(userData, 'datasets');
    writeFileSync(path.join(datasets, 'broken.json'), '[{"query": "Plan a trip."');
    mkdirSync(path.join(datasets, 'folder.json'));
    const sets = await api.datasets.list();
    expect(sets.map((d) => [d.name, d.items, d.damaged?.file ?? null])).toEqual([
      ['broken', 0, path.join(datasets, 'broken.json')],
      ['evals', 1, null],
      ['folder', 0, path.join(datasets, 'folder.json')],
    ]);
    expect(sets[0]!.damaged!.reason).toMatch(/^broken\.json is not valid JSON/);
    const broken = await rejection(api.datasets.get('broken'));
    expect(broken.code).toBe('invalid-argument');
    expect(broken.message).toContain(path.join(datasets, 'broken.json'));
    await api.datasets.remove('broken');
    await api.datasets.remove('folder');
    expect((await api.datasets.list()).map((d) => d.name)).toEqual(['evals']);
  });
});

describe('drpo-studio runs list | remove (the built CLI)', () => {
  it('lists a damaged run, says what it would remove without --yes, removes with it, and refuses a path that is not a run', async () => {
    const { id } = await service.api.runs.start(scriptedRun(1));
    await service.runs.settled(id);
    const runs = path.join(userData, 'runs');
    mkdirSync(path.join(runs, 'bad-json'));
    writeFileSync(path.join(runs, 'bad-json', 'config.json'), '{');

    const listed = runCli(['runs', 'list', '--user-data', userData], userData);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${id}  finished\n`);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^bad-json  damaged: ${path.join(runs, 'bad-json', 'config.json')}: config\\.json is not valid JSON`,
        'm',
      ),
    );

    const dryRun = runCli(['runs', 'remove', 'bad-json', '--user-data', userData], userData);
    expect(dryRun.code).toBe(1);
    expect(dryRun.stderr).toBe(
      `drpo-studio: would remove ${path.join(runs, 'bad-json')}; run again with --yes to remove it\n`,
    );
    expect(existsSync(path.join(runs, 'bad-json'))).toBe(true);

    const removed = runCli(['runs', 'remove', path.join(runs, 'bad-json'), '--yes'], userData);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(path.join(runs, 'bad-json'))).toBe(false);
    const byId = runCli(['runs', 'remove', id, '--yes', '--user-data', userData], userData);
    expect(byId.code, byId.stderr).toBe(0);
    expect(existsSync(path.join(runs, id))).toBe(false);

    const parent = runCli(['runs', 'remove', '..', '--yes'], runs);
    expect(parent.code).toBe(1);
    expect(parent.stderr).toBe(`drpo-studio: ${userData} is not a run folder (no config.json or events.jsonl)\n`);
    const dotted = runCli(['experiments', 'remove', '..', '--yes', '--user-data', userData], userData);
    expect(dotted.code).toBe(1);
    expect(existsSync(userData)).toBe(true);
  });
});
