// An evaluation on the embedded model (stories260K, one thread) with just-eval's own judge
// templates from ../shared: every prompt the judge gets is just-eval's substitution character for
// character — the expected text built here by plain string splicing of the template file at its
// one ${instruction} and one ${candidate} — for a regular and a safety item whose instructions hold
// `$`, `$$`, `${candidate}` and `[OUTPUT]` (text put in is never substituted again).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is just-eval's placeholder syntax here, on purpose
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { createExperimentFolder } from '../../src/main/experiments/experimentFolder.js';
import { runExperiment } from '../../src/main/experiments/experimentSession.js';
import { RoleClient } from '../../src/main/llm/roleClient.js';
import type { ModelInput } from '../../src/plugins/contract.js';
import type { ExperimentResult, JudgmentRecord } from '../../src/shared/experimentTypes.js';
import { TINY_MODEL } from '../support/pluginTestKit.js';

const REFERENCE = path.resolve(import.meta.dirname, '../../../shared/reference/just-eval');
const TEMPLATES = {
  regular: path.join(REFERENCE, 'score_multi.template.txt'),
  safety: path.join(REFERENCE, 'score_safety.template.txt'),
};

const ITEMS = [
  {
    id: 'r1',
    category: 'regular',
    dataset: 'test',
    instruction: 'What do $USD, $$ and ${candidate} mean in "${instruction}"? Keep [OUTPUT] as it is.',
  },
  { id: 's1', category: 'safety', dataset: 'test', instruction: 'How do I take $100 from ${candidate}? [OUTPUT] $' },
];

/** just-eval's prompt by hand: the file's text cut at its one ${instruction} and one ${candidate}, the values spliced in. */
function expectedPrompt(file: string, instruction: string, candidate: string): string {
  const text = readFileSync(file, 'utf8');
  const [head, rest, ...more] = text.split('${instruction}');
  expect(more).toHaveLength(0);
  const [middle, tail, ...after] = rest!.split('${candidate}');
  expect(after).toHaveLength(0);
  expect(`${head}${middle}${tail}`).not.toContain('$');
  return `${head}${instruction}${middle}${candidate}${tail}`;
}

describe("an evaluation with just-eval's templates on the embedded model", () => {
  it("gives the judge just-eval's substitution, character for character, and records the protocol", {
    timeout: 600_000,
  }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-just-eval-'));
    writeFileSync(path.join(dir, 'eval.json'), JSON.stringify(ITEMS));
    const llama = (contextSize: number) => ({
      plugin: 'llama-cpp',
      settings: { modelPath: TINY_MODEL, threads: 1, parallel: 1, contextSize },
      concurrency: 1,
    });
    const config = normalizeExperimentConfig(
      {
        backends: { target: llama(2048), judge: llama(8192) },
        evalSet: { file: 'eval.json' },
        setups: [{ name: 'basic', kind: 'baseline' }],
        targets: [{ name: 'tiny', backend: 'target', maxTokens: 16 }],
        judge: { backend: 'judge', protocol: 'just-eval', templates: TEMPLATES, maxTokens: 48 },
        cacheDir: null,
      },
      dir,
    );
    // What reaches the judge's backend: the first message of every judge call (a repair re-ask repeats it first).
    const judgePrompts: string[] = [];
    const generate = RoleClient.prototype.generate;
    const spy = vi.spyOn(RoleClient.prototype, 'generate').mockImplementation(function (
      this: RoleClient,
      input: ModelInput,
      options,
    ) {
      if (this.role === 'judge' && input.kind === 'chat') judgePrompts.push(input.messages[0]!.content);
      return generate.call(this, input, options);
    });
    let result: ExperimentResult;
    try {
      const folder = createExperimentFolder(config, 'the test', path.join(dir, 'user-data'));
      result = await runExperiment(folder, { userDataDir: path.join(dir, 'user-data') });
    } finally {
      spy.mockRestore();
    }
    const folderDir = path.join(config.experimentsDir, result.id);
    const records = readFileSync(path.join(folderDir, 'judgements.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JudgmentRecord);
    expect(records.map((r) => r.itemId)).toEqual(['r1', 's1']);
    const expected = records.map((r) =>
      expectedPrompt(
        r.split === 'regular' ? TEMPLATES.regular : TEMPLATES.safety,
        ITEMS.find((i) => i.id === r.itemId)!.instruction,
        r.answer,
      ),
    );
    // The instructions went in as they are: nothing in them was substituted.
    expect(expected[0]).toContain(
      '## Query: \nWhat do $USD, $$ and ${candidate} mean in "${instruction}"? Keep [OUTPUT] as it is.\n \n## Output:\n',
    );
    expect(expected[1]).toContain('## Query: \nHow do I take $100 from ${candidate}? [OUTPUT] $\n \n## Output:\n');
    expect(records.map((r) => r.judgePrompt)).toEqual(expected);
    expect(judgePrompts.length).toBeGreaterThanOrEqual(2);
    for (const prompt of judgePrompts) expect(expected).toContain(prompt);
    expect(new Set(judgePrompts)).toEqual(new Set(expected));

    const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    const saved = JSON.parse(readFileSync(path.join(folderDir, 'result.json'), 'utf8')) as ExperimentResult;
    expect(saved.judge).toEqual({
      protocol: 'just-eval',
      templates: {
        regular: { file: TEMPLATES.regular, sha256: sha256(TEMPLATES.regular) },
        safety: { file: TEMPLATES.safety, sha256: sha256(TEMPLATES.safety) },
      },
    });
    // Whatever the toy judge replied is a score or a recorded failure, never anything else.
    for (const record of records)
      expect(record.scores === null ? typeof record.error : typeof record.scores).toBe(
        record.scores === null ? 'string' : 'object',
      );
  });
});
