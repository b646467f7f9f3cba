// URIAL as published, in an experiment: every query gets the prompt file's examples in the file's
// order (none retrieved, all of them), in URIAL's layout, and the reply stops where URIAL's code
// stops it, so an answer with a code block keeps its code. The target is a user plugin that keeps
// every request and answers raw completions with a fixed text, cut at the stop strings.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { createExperimentFolder } from '../../src/main/experiments/experimentFolder.js';
import { runExperiment } from '../../src/main/experiments/experimentSession.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import { addRecordingPlugin, recordedRequests } from '../support/recordingPlugin.js';

const FENCE = '```';
// Written out as URIAL's files are: the apple example second, so retrieval would move it first for the pie query.
const URIAL_FILE = [
  '# Instruction',
  '',
  'Below is a conversation between a human and an AI assistant.',
  '',
  '# Query:',
  FENCE,
  'What do zebras eat?',
  FENCE,
  '',
  '# Answer:',
  FENCE,
  'Mostly grass.',
  FENCE,
  '',
  '# Query:',
  FENCE,
  'How do I bake an apple pie?',
  FENCE,
  '',
  '# Answer:',
  FENCE,
  'Line a dish with pastry, fill it with apples, bake for 45 minutes.',
  FENCE,
  '',
].join('\n');

// What the model writes after "# Answer:\n```\n": an answer with code, the template's closing fence, the next turn.
const REPLY = `Use sorted():\n${FENCE}python\nprint(sorted([3, 1, 2]))\n${FENCE}\nThat is all.\n${FENCE}\n\n# Query:\n${FENCE}\nmore`;

describe('a URIAL setup', () => {
  it("keeps the file's order and all its examples for every query, and an answer's code", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-urial-'));
    const userData = path.join(dir, 'user-data');
    mkdirSync(path.join(userData, 'plugins'), { recursive: true });
    addRecordingPlugin(userData, 'recording-urial');
    const store = await SettingsStore.open(userData);
    await store.update((s) => void s.enabledPlugins.push('recording-urial'));
    writeFileSync(path.join(dir, 'urial.txt'), URIAL_FILE);
    writeFileSync(
      path.join(dir, 'eval.json'),
      JSON.stringify([
        { id: 1, instruction: 'How do I bake an apple pie?', category: 'regular' },
        { id: 2, instruction: 'Where do zebras live?', category: 'regular' },
      ]),
    );
    const config = normalizeExperimentConfig(
      {
        backends: {
          target: { plugin: 'recording-urial', settings: { latencyMs: 0, generationReply: REPLY }, concurrency: 1 },
          judge: { plugin: 'recording-urial', settings: { latencyMs: 0 }, concurrency: 1 },
        },
        evalSet: { file: 'eval.json' },
        setups: [{ name: 'urial', kind: 'urial', file: 'urial.txt' }],
        targets: [{ name: 'base', backend: 'target' }],
        judge: { backend: 'judge' },
        cacheDir: null,
      },
      dir,
    );
    const folder = createExperimentFolder(config, 'the test');
    const result = await runExperiment(folder, { userDataDir: userData });
    expect(result.setups).toEqual([
      expect.objectContaining({ name: 'urial', kind: 'urial', examples: 2, k: 2, format: 'urial' }),
    ]);

    const prompts = recordedRequests('recording-urial')
      .filter((r) => r.input.kind === 'text')
      .map((r) => (r.input.kind === 'text' ? r.input.text : ''))
      .sort();
    const shots =
      '# Instruction\n\nBelow is a conversation between a human and an AI assistant.\n\n' +
      '# Query:\n```\nWhat do zebras eat?\n```\n\n# Answer:\n```\nMostly grass.\n```\n\n' +
      '# Query:\n```\nHow do I bake an apple pie?\n```\n\n# Answer:\n```\nLine a dish with pastry, fill it with apples, bake for 45 minutes.\n```\n';
    expect(prompts).toEqual([
      `${shots}\n\n# Query:\n\`\`\`\nHow do I bake an apple pie?\n\`\`\`\n\n\n# Answer:\n\`\`\`\n`,
      `${shots}\n\n# Query:\n\`\`\`\nWhere do zebras live?\n\`\`\`\n\n\n# Answer:\n\`\`\`\n`,
    ]);
    // The file's own text, then URIAL's query turn, for both.
    for (const prompt of prompts) expect(prompt.startsWith(URIAL_FILE)).toBe(true);

    const answers = readRunLog(path.join(folder.dir, 'events.jsonl')).events.flatMap((e) =>
      e.type === 'eval-answer' ? [e.answer] : [],
    );
    expect(answers).toEqual([
      'Use sorted():\n```python\nprint(sorted([3, 1, 2]))\n```\nThat is all.',
      'Use sorted():\n```python\nprint(sorted([3, 1, 2]))\n```\nThat is all.',
    ]);
  });
});
