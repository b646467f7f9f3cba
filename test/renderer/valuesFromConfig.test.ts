// "Run again with changes": a run's config back into the New run form. Configs the form writes
// come back whole (buildRunConfig ∘ valuesFromConfig is the identity on them), also as the studio
// saves them (normalized: defaults filled in, paths absolute); what the form cannot hold is listed.
import { describe, expect, it } from 'vitest';
import { buildRunConfig, defaultValues } from '../../src/renderer/src/screens/runs/newRunConfig';
import { valuesFromConfig } from '../../src/renderer/src/screens/runs/valuesFromConfig';
import type { RunConfigInput } from '../../src/shared/runConfigSchema';
import { runConfigSchema } from '../../src/shared/runConfigSchema';

const allOn = (backend: string) => ({
  base: { backend },
  selector: { backend },
  judge: { backend },
  optimizer: { backend },
});

/** A system-prompt run on one connection, as the form writes it. */
const SIMPLE: RunConfigInput = {
  backends: { main: { connection: 'local', concurrency: 'auto' } },
  roles: allOn('main'),
  search: { algorithm: 'beam', width: 3, samples: 2, depth: 4 },
  retrieval: { k: 2 },
};

/** An ICL run with every field of the form set. */
const FULL: RunConfigInput = {
  backends: { main: { connection: 'local', concurrency: 4 }, 'conn-big': { connection: 'big', concurrency: 4 } },
  roles: {
    base: { backend: 'main', maxTokens: 512 },
    selector: { backend: 'main' },
    judge: { backend: 'conn-big' },
    optimizer: { backend: 'conn-big', maxTokens: 1024 },
  },
  iclSearch: { algorithm: 'greedy', width: 1, samples: 2, depth: 3 },
  retrieval: { k: 3 },
  data: { limit: 5, seedQueries: 'datasets/my-seeds.json', iclExamples: 'datasets/my-icl.json' },
  reward: { selections: '/data/selections.json' },
  promptFormat: 'chat',
  jsonTextMaxChars: 400,
  budget: { dollars: 2.5, tokens: 100000 },
};

const HOME = '/home/ann/.config/drpo-studio';
const APP = '/opt/DRPO Studio/resources/app.asar';

/** SIMPLE as the studio saves it in the run's folder: normalized against the user-data folder. */
const SIMPLE_SAVED = {
  backends: {
    main: {
      connection: 'local',
      settings: {},
      concurrency: 'auto',
      maxRetries: 4,
      retryBaseDelayMs: 500,
      retryMaxDelayMs: 30000,
    },
  },
  roles: {
    base: { backend: 'main', maxTokens: 2048, temperature: 0 },
    selector: { backend: 'main', maxTokens: 2048, temperature: 0 },
    judge: { backend: 'main', maxTokens: 2048, temperature: 0 },
    optimizer: { backend: 'main', maxTokens: 2048, temperature: 0.2, topP: 0.95 },
  },
  iclRoles: { base: {}, selector: {}, judge: {}, optimizer: { temperature: 0, topP: 1 } },
  initialPrompt: 'You are a helpful assistant.',
  search: {
    algorithm: 'beam',
    width: 3,
    samples: 2,
    depth: 4,
    carryOverAbove: 4.5,
    maxDepthIncrease: 10,
    historySize: 5,
    callBudget: 'unlimited',
  },
  iclSearch: {
    algorithm: 'beam',
    width: 1,
    samples: 1,
    depth: 5,
    carryOverAbove: 4.5,
    maxDepthIncrease: 10,
    historySize: 5,
    callBudget: 'unlimited',
  },
  reward: {
    mode: 'dynamic',
    aspects: `${HOME}/aspects.json`,
    minAspects: 2,
    maxAspects: 5,
    allowNewAspects: true,
    iclJudge: 'critic',
    iclMinAspects: 3,
    iclMaxAspects: 6,
  },
  data: { seedQueries: [`${APP}/resources/seed-queries.json`], iclExamples: `${APP}/resources/icl-examples.json` },
  retrieval: { k: 2, embedder: { kind: 'hub', model: 'sentence-transformers/all-mpnet-base-v2' } },
  runsDir: `${HOME}/runs`,
  cacheDir: `${HOME}/.drpo-cache`,
  baseDir: HOME,
};

describe('valuesFromConfig', () => {
  it('gives back the values of a config the form wrote', () => {
    const simple = valuesFromConfig(SIMPLE, 'system-prompt');
    expect(simple.values).toEqual({
      ...defaultValues('system-prompt'),
      connection: 'local',
      width: 3,
      samples: 2,
      depth: 4,
      k: 2,
    });
    expect(simple.notCarried).toEqual([]);

    const full = valuesFromConfig(FULL, 'icl');
    expect(full.values).toEqual({
      stage: 'icl',
      connection: 'local',
      roleConnections: { base: '', selector: '', judge: 'big', optimizer: 'big' },
      maxTokens: { base: '512', selector: '', judge: '', optimizer: '1024' },
      algorithm: 'greedy',
      width: 1,
      samples: 2,
      depth: 3,
      k: 3,
      jsonTextMaxChars: '400',
      seedLimit: '5',
      seedDataset: 'my-seeds',
      iclDataset: 'my-icl',
      selections: '/data/selections.json',
      concurrency: 4,
      promptFormat: 'chat',
      budgetDollars: '2.5',
      budgetTokens: '100000',
    });
    expect(full.notCarried).toEqual([]);
  });

  it('round trip: buildRunConfig(valuesFromConfig(c)) is c', () => {
    expect(buildRunConfig(valuesFromConfig(SIMPLE, 'system-prompt').values)).toEqual(SIMPLE);
    expect(buildRunConfig(valuesFromConfig(FULL, 'icl').values)).toEqual(FULL);
    // Every role on another connection than the form's "all roles" one: main stays, unused, as the form writes it.
    const elsewhere: RunConfigInput = {
      backends: {
        main: { connection: 'local', concurrency: 'auto' },
        'conn-gpu': { connection: 'gpu', concurrency: 'auto' },
      },
      roles: allOn('conn-gpu'),
      search: { algorithm: 'monte-carlo', width: 2, samples: 3, depth: 20 },
      retrieval: { k: 0 },
      promptFormat: 'drpo',
    };
    expect(buildRunConfig(valuesFromConfig(elsewhere, 'system-prompt').values)).toEqual(elsewhere);
  });

  it('reads the config as the studio saves it: defaults, the starter data and the user catalog are no loss', () => {
    const saved = valuesFromConfig(SIMPLE_SAVED, 'system-prompt');
    expect(saved.values).toEqual(valuesFromConfig(SIMPLE, 'system-prompt').values);
    expect(saved.notCarried).toEqual([]);
    // Datasets are files in the user-data folder's datasets/, saved as absolute paths.
    const withData = {
      ...SIMPLE_SAVED,
      data: { seedQueries: [`${HOME}/datasets/mine.json`], iclExamples: `${HOME}/datasets/examples.json` },
    };
    expect(valuesFromConfig(withData, 'system-prompt').values).toMatchObject({
      seedDataset: 'mine',
      iclDataset: 'examples',
    });
  });

  it('every default of the schema is one the form would produce again (the DEFAULTS list matches the schema)', () => {
    for (const stage of ['system-prompt', 'icl'] as const) {
      const parsed = runConfigSchema.parse({ backends: { main: { connection: 'local' } } });
      expect(valuesFromConfig(parsed, stage).notCarried).toEqual([]);
    }
  });

  it('lists, leaf by leaf, what the form cannot hold', () => {
    const cli = {
      ...SIMPLE_SAVED,
      backends: {
        main: { ...SIMPLE_SAVED.backends.main, concurrency: 2, maxRetries: 1 },
        gpt: { plugin: 'openai', settings: { model: 'gpt-4o' }, price: { input: 1, output: 2 } },
      },
      roles: { ...SIMPLE_SAVED.roles, optimizer: { backend: 'gpt', maxTokens: 2048, temperature: 0.7, topP: 0.95 } },
      initialPrompt: 'Be brief.',
      search: { ...SIMPLE_SAVED.search, historySize: 3 },
      data: { ...SIMPLE_SAVED.data, seedQueries: ['/srv/my-queries.json'], shuffleSeed: 7 },
      retrieval: { k: 2, embedder: 'lexical' },
      cacheDir: null,
    };
    const { values, notCarried } = valuesFromConfig(cli, 'system-prompt');
    expect(values).toMatchObject({ connection: 'local', concurrency: 2, roleConnections: { optimizer: '' } });
    expect(notCarried).toEqual([
      'the optimizer role\'s backend "gpt" is no saved connection: the form uses one of yours',
      'backends.main.maxRetries = 1',
      'backends.gpt.plugin = "openai"',
      'backends.gpt.settings.model = "gpt-4o"',
      'backends.gpt.price.input = 1',
      'backends.gpt.price.output = 2',
      'roles.optimizer.backend = "gpt"',
      'roles.optimizer.temperature = 0.7',
      'initialPrompt = "Be brief."',
      'search.historySize = 3',
      'data.seedQueries = ["/srv/my-queries.json"]',
      'data.shuffleSeed = 7',
      'retrieval.embedder = "lexical"',
      'cacheDir = null',
    ]);
    expect(valuesFromConfig(null, 'icl').notCarried).toEqual(['the run has no config the form can read']);
  });
});
