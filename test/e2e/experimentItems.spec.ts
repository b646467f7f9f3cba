// Answers item by item, as a user reads them: an experiment of two setups on two targets (started
// through the API) whose model is scripted behind an OpenAI-compatible server in this process, so
// every answer and every score is known: the items table filtered by split and category, searched,
// ordered by the difference between the setups, and one item opened with every setup × target
// answer and the judge's score and reason per aspect. Then a small run started from the New run
// form on the same server: the node inspector shows the optimizer's analysis that rewrote the
// parent into the node.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ModelClient } from '../../src/plugins/contract.js';
import { judgedAspects, judgeReply, ScriptedModel, selectionReply } from '../helpers/scriptedModel.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { collectPageErrors, SCREENSHOTS } from './support/pages.js';
import { expect, type StudioServer, test } from './support/studioServer.js';

const STEPS_PROMPT = 'Answer in numbered steps.';
/** Per item: its split and source, and the score the judge gives each setup's answer on every aspect. */
const ITEMS = {
  tides: { query: 'Why are there tides?', split: 'regular', source: 'oasst', basic: 2, steps: 5 },
  trip: { query: 'Plan a weekend in Rome.', split: 'regular', source: 'lima', basic: 4, steps: 4 },
  bread: { query: 'How do I bake sourdough bread?', split: 'regular', source: 'lima', basic: 5, steps: 3 },
  poem: { query: 'Write a poem about rain.', split: 'regular', source: 'koala', basic: 3, steps: 4 },
  lock: { query: 'How do I pick a lock?', split: 'safety', source: 'red-team', basic: 5, steps: 4 },
} as const;
type ItemKey = keyof typeof ITEMS;
const ANALYSIS = 'The answer gave no steps, so clarity suffered; the prompt should ask for them.';
const THOUGHT = 'Add a rule: answer in numbered steps.';

/** The item a prompt is about: each instruction carries "(item KEY)". */
const itemOf = (text: string) => /\(item (\w+)\)/.exec(text)?.[1] as ItemKey | undefined;

function scriptedModel(): ModelClient {
  return new ScriptedModel((req) => {
    const whole = JSON.stringify(req.request.input);
    const key = itemOf(req.text);
    switch (req.purpose) {
      case 'selection':
        return selectionReply(['Helpfulness', 'Clarity']);
      case 'transition':
        return JSON.stringify({ analysis: ANALYSIS, thought: THOUGHT, new_system_prompt: STEPS_PROMPT });
      case 'judgement': {
        // The run's reward judge: a plain 3. The experiment's judge: the item's score for the setup whose answer it reads.
        if (!key) return judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, 3])));
        const setup = req.text.includes('1. First') ? 'steps' : 'basic';
        const score = ITEMS[key][setup];
        return JSON.stringify(
          Object.fromEntries(
            judgedAspects(req.text).map((aspect) => [
              aspect,
              // The poem has no facts to check: N/A, left out of its mean.
              key === 'poem' && aspect === 'factuality'
                ? { reason: 'no facts to check', score: 'N/A' }
                : { reason: `${setup} on ${key}: ${aspect} ${score}`, score },
            ]),
          ),
        );
      }
      default:
        if (!key) return 'An answer.';
        if (!whole.includes(STEPS_PROMPT)) return `Plain answer about ${key}.`;
        return key === 'tides' ? '1. First, watch the moon.' : `1. First step for ${key}.`;
    }
  });
}

let model: FakeOpenAIServer;

test.beforeAll(async () => {
  model = await FakeOpenAIServer.start(scriptedModel());
});

test.afterAll(async () => {
  await model?.close();
});

async function saveConnection(server: StudioServer) {
  await server.studio.connections.save('local', {
    plugin: 'openai',
    settings: { baseURL: model.baseURL, model: 'stories260K' },
  });
}

async function finishedExperiment(server: StudioServer): Promise<string> {
  const { studio } = server;
  await studio.datasets.save({
    name: 'questions',
    kind: 'eval-set',
    items: Object.entries(ITEMS).map(([key, item]) => ({
      id: key,
      query: `${item.query} (item ${key})`,
      split: item.split,
      tags: { source: [item.source] },
    })),
  });
  const { id } = await studio.experiments.start({
    config: {
      backends: { m: { connection: 'local' } },
      evalSet: { dataset: 'questions' },
      setups: [
        { name: 'basic', kind: 'baseline' },
        { name: 'steps', kind: 'prompt', systemPrompt: STEPS_PROMPT },
      ],
      targets: [
        { name: 'drpo', backend: 'm', format: 'drpo', maxTokens: 64 },
        { name: 'chat', backend: 'm', format: 'chat', maxTokens: 64 },
      ],
      judge: { backend: 'm', protocol: 'drpo-studio' },
    },
  });
  await expect
    .poll(async () => (await studio.experiments.get(id)).summary.status, { timeout: 30_000 })
    .toBe('finished');
  return id;
}

test('an experiment item by item: filtered, searched, ordered by the difference, one item opened', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  await saveConnection(studioServer);
  const id = await finishedExperiment(studioServer);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(studioServer.url);
  await page.getByTestId('nav-experiments').click();
  await page.getByTestId('experiment-row').filter({ hasText: id }).click();
  const items = page.getByTestId('experiment-items');
  const rows = items.getByTestId('item-row');
  const shown = () => rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-item')));
  await expect(rows).toHaveCount(5);
  await expect(items.getByTestId('items-count')).toHaveText('5 items');

  // Each setup's score per item; the setups compared at first: steps against the baseline.
  await expect(items.getByTestId('items-setup-a')).toHaveValue('steps');
  await expect(items.getByTestId('items-setup-b')).toHaveValue('basic');
  const tides = items.locator('[data-testid="item-row"][data-item="tides"]');
  await expect(tides.locator('[data-setup="basic"]')).toHaveText('2.00');
  await expect(tides.locator('[data-setup="steps"]')).toHaveText('5.00');

  // Ordered by steps − basic, best first: +3, +1, 0, −1 (safety), −2; then the other way.
  await items.getByTestId('items-order').selectOption('difference-desc');
  await expect.poll(shown).toEqual(['tides', 'poem', 'trip', 'lock', 'bread']);
  await expect(items.getByTestId('item-difference')).toHaveText(['+3.00', '+1.00', '+0.00', '-1.00', '-2.00']);
  await items.getByTestId('items-order').selectOption('difference-asc');
  await expect.poll(shown).toEqual(['bread', 'lock', 'trip', 'poem', 'tides']);
  // Swapping the setups turns the differences round.
  await items.getByTestId('items-setup-a').selectOption('basic');
  await items.getByTestId('items-setup-b').selectOption('steps');
  await expect.poll(shown).toEqual(['tides', 'poem', 'trip', 'lock', 'bread']);
  await expect(items.getByTestId('item-difference').first()).toHaveText('-3.00');
  await items.getByTestId('items-setup-a').selectOption('steps');
  await items.getByTestId('items-setup-b').selectOption('basic');
  await items.getByTestId('items-order').selectOption('difference-desc');

  // Filters: the split, then a source; a search in the answers.
  await items.getByTestId('items-split').selectOption('safety');
  await expect.poll(shown).toEqual(['lock']);
  await items.getByTestId('items-split').selectOption('regular');
  await expect.poll(shown).toEqual(['tides', 'poem', 'trip', 'bread']);
  await items.getByTestId('items-category').selectOption({ label: 'lima' });
  await expect.poll(shown).toEqual(['trip', 'bread']);
  await expect(items.getByTestId('items-count')).toHaveText('2 of 5 items');
  await items.getByTestId('items-category').selectOption({ label: 'all' });
  await items.getByTestId('items-split').selectOption('all');
  await items.getByTestId('items-search').fill('MOON');
  await expect.poll(shown).toEqual(['tides']);
  await items.getByTestId('items-search').fill('');
  await expect.poll(shown).toEqual(['tides', 'poem', 'trip', 'lock', 'bread']);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await items.screenshot({ path: path.join(SCREENSHOTS, 'experiment-items.png') });

  // The poem opened: every setup × target answer side by side, each aspect's score and reason.
  await items.locator('[data-item="poem"]').getByTestId('open-item').click();
  const detail = page.getByTestId('item-answers');
  await expect(detail.getByTestId('item-instruction')).toHaveText('Write a poem about rain. (item poem)');
  const answers = detail.getByTestId('item-answer');
  await expect(answers).toHaveCount(4);
  for (const target of ['drpo', 'chat'])
    for (const [setup, text, score] of [
      ['basic', 'Plain answer about poem.', 3],
      ['steps', '1. First step for poem.', 4],
    ] as const) {
      const card = detail.locator(`[data-testid="item-answer"][data-setup="${setup}"][data-target="${target}"]`);
      await expect(card.getByTestId('answer-text')).toHaveText(text);
      await expect(card.getByTestId('answer-mean')).toHaveText(score.toFixed(2));
      const aspects = card.getByTestId('answer-aspects').locator('tbody tr');
      await expect(aspects).toHaveCount(5);
      await expect(card.locator('tr[data-aspect="helpfulness"] td')).toHaveText([
        'helpfulness',
        String(score),
        `${setup} on poem: helpfulness ${score}`,
      ]);
      await expect(card.locator('tr[data-aspect="factuality"] td')).toHaveText([
        'factuality',
        'N/A',
        'no facts to check',
      ]);
    }
  // Tall enough that the whole item is in view: the shell scrolls inside its panes.
  await page.setViewportSize({ width: 1280, height: 2000 });
  await detail.screenshot({ path: path.join(SCREENSHOTS, 'experiment-item.png') });
  await detail.getByTestId('close-item').click();
  await expect(rows).toHaveCount(5);
  expect(errors).toEqual([]);
});

test("the node inspector shows the optimizer's analysis that rewrote the parent into the node", async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  await saveConnection(studioServer);
  await page.goto(studioServer.url);
  // A small run from the New run form: W=2, M=2, D=2 on the scripted server.
  const form = page.getByTestId('new-run-form');
  await expect(form.getByLabel('Connection (all roles)')).toContainText('local (openai)');
  await form.getByLabel('W (width)').fill('2');
  await form.getByLabel('M (samples)').fill('2');
  await form.getByLabel('D (depth)').fill('2');
  await form.getByTestId('start-run').click();
  await expect(page.getByTestId('run-view').getByTestId('run-view-status')).toHaveText('finished', {
    timeout: 30_000,
  });
  const view = page.getByTestId('run-view');
  const inspector = view.getByTestId('node-inspector');
  await view.getByTestId('tree-node-0').click();
  await expect(inspector.getByTestId('node-analysis')).toContainText('The initial state: no rewrite made it.');
  await view.getByTestId('tree-node-0.1').click();
  const analysis = inspector.getByTestId('node-analysis');
  await expect(analysis.getByRole('heading')).toHaveText("Optimizer's analysis (of 0's answer and critique)");
  await expect(analysis.getByTestId('node-analysis-text')).toHaveText(ANALYSIS);
  await expect(analysis.getByTestId('node-thought-text')).toHaveText(THOUGHT);
  // The node's own critique beside it: the reward judge's 3 on each selected aspect.
  await expect(inspector.getByTestId('node-aspects').locator('tbody tr')).toHaveCount(2);
  expect(errors).toEqual([]);
});
