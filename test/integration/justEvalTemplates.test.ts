// just-eval's judge templates: downloaded over real HTTP from a local server that serves Python
// files shaped like just-eval's (and hostile ones), checked as Python would fail on them, and
// chosen as the evaluation judge's protocol (README "Experiments": protocols).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Python's placeholder syntax here, on purpose
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { resolveJudgeProtocol, savedJudgeProtocol } from '../../src/main/experiments/judgeProtocol.js';
import { downloadJustEvalTemplates, writeJustEvalTemplates } from '../../src/main/experiments/justEvalTemplates.js';
import { listenOnLoopback } from '../support/listenOnLoopback.js';

const REFERENCE = path.resolve(import.meta.dirname, '../../../shared/reference/just-eval');
const MULTI = readFileSync(path.join(REFERENCE, 'score_multi.template.txt'), 'utf8');
const SAFETY = readFileSync(path.join(REFERENCE, 'score_safety.template.txt'), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** just-eval's file shape: `NAME = """\` + newline, the text, `"""` (the templates hold no backslash or triple quote). */
const pythonFile = (name: string, text: string) => `${name} = """\\\n${text}"""`;

describe("downloading just-eval's templates", () => {
  const routes = new Map<string, string>();
  let base = '';
  const server = createServer((req, res) => {
    const [folder, file] = (req.url ?? '').split('/').slice(1);
    const body = routes.get(`${folder}/${file}`);
    if (body === 'CUT') {
      // Headers promise more than is sent, then the connection drops.
      res.writeHead(200, { 'content-length': '5000' });
      res.write('MULTI_SCORE_TEMPLATE = """\\\nPlease act');
      setTimeout(() => res.destroy(), 20);
    } else if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  const serve = (folder: string, multi: string, safety = pythonFile('SAFETY_SCORE_TEMPLATE', SAFETY)) => {
    routes.set(`${folder}/_MULTI_SCORE_TEMPLATE.py`, multi);
    routes.set(`${folder}/_SAFETY_SCORE_TEMPLATE.py`, safety);
    return `${base}/${folder}/`;
  };

  beforeAll(async () => {
    base = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  });
  afterAll(() => void server.close());

  it('reads the template string out of each Python file, exactly the reference text, and writes it to the user-data folder', async () => {
    const texts = await downloadJustEvalTemplates(serve('ok', pythonFile('MULTI_SCORE_TEMPLATE', MULTI)));
    expect(texts).toEqual({ regular: MULTI, safety: SAFETY });
    const userData = mkdtempSync(path.join(tmpdir(), 'drpo-templates-'));
    const files = writeJustEvalTemplates(userData, texts);
    expect(files).toEqual([
      path.join(userData, 'just-eval', 'score_multi.template.txt'),
      path.join(userData, 'just-eval', 'score_safety.template.txt'),
    ]);
    expect(readFileSync(files[0]!, 'utf8')).toBe(MULTI);
  });

  it('refuses a cut file, an HTML page, a file without the template, a broken template, a cut connection and a 404', async () => {
    const multi = pythonFile('MULTI_SCORE_TEMPLATE', MULTI);
    const cases: [string, string, RegExp][] = [
      ['cut', multi.slice(0, 900), /the string literal of MULTI_SCORE_TEMPLATE never ends \(the file is cut\)/],
      [
        'html',
        '<!DOCTYPE html>\n<html><body><h1>Rate limited</h1></body></html>',
        /no string literal is assigned to MULTI_SCORE_TEMPLATE/,
      ],
      [
        'other',
        'from string import Template\nTEMPLATE = None\n',
        /no string literal is assigned to MULTI_SCORE_TEMPLATE/,
      ],
      [
        'stray',
        pythonFile('MULTI_SCORE_TEMPLATE', 'Costs $5: ${instruction} ${candidate}'),
        /ValueError: Invalid placeholder in string: line 1, col 7/,
      ],
      ['unknown', pythonFile('MULTI_SCORE_TEMPLATE', '${instruction} ${output}'), /KeyError: 'output'/],
      ['no-candidate', pythonFile('MULTI_SCORE_TEMPLATE', 'Rate ${instruction}'), /has no \$\{candidate\}/],
      ['huge', pythonFile('MULTI_SCORE_TEMPLATE', 'x'.repeat(300 * 1024)), /larger than 256 KiB/],
      ['dropped', 'CUT', /download of .* was cut|cannot reach|terminated|other side closed/],
    ];
    for (const [folder, body, error] of cases)
      await expect(downloadJustEvalTemplates(serve(folder, body)), folder).rejects.toThrow(error);
    await expect(downloadJustEvalTemplates(`${base}/missing/`)).rejects.toThrow(
      /_MULTI_SCORE_TEMPLATE.py answered HTTP 404/,
    );
  });
});

describe("the evaluation judge's protocol", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'drpo-protocol-'));
  const config = (judge: Record<string, unknown>) =>
    normalizeExperimentConfig(
      {
        backends: { j: { plugin: 'llama-cpp', settings: { modelPath: 'm.gguf' } } },
        evalSet: { file: 'eval.json' },
        setups: [{ name: 'b', kind: 'baseline' }],
        targets: [{ name: 't', backend: 'j' }],
        judge: { backend: 'j', ...judge },
      },
      dir,
    );

  it('is just-eval by default where `eval-set fetch` put the templates, with their sha256', () => {
    const userData = path.join(dir, 'with-templates');
    writeJustEvalTemplates(userData, { regular: MULTI, safety: SAFETY });
    const judge = resolveJudgeProtocol(config({}).judge, userData);
    expect(judge).toMatchObject({
      protocol: 'just-eval',
      templates: {
        regular: {
          file: path.join(userData, 'just-eval/score_multi.template.txt'),
          text: MULTI,
          sha256: sha256(MULTI),
        },
        safety: { text: SAFETY, sha256: sha256(SAFETY) },
      },
    });
    // The folder keeps it; read back, it is the same, and a template changed behind its sha256 is refused.
    expect(savedJudgeProtocol(JSON.parse(JSON.stringify(judge)), 'config.json')).toEqual(judge);
    const tampered = JSON.parse(JSON.stringify(judge)) as { templates: { safety: { text: string } } };
    tampered.templates.safety.text += ' ';
    expect(() => savedJudgeProtocol(tampered, 'config.json')).toThrow('does not match its recorded sha256');
    // Folders from before protocols were judged with the project's own prompts.
    expect(savedJudgeProtocol(undefined, 'config.json')).toEqual({ protocol: 'drpo-studio' });
    // Asked by name, the project's own prompts are used although just-eval's are there.
    expect(resolveJudgeProtocol(config({ protocol: 'drpo-studio' }).judge, userData)).toEqual({
      protocol: 'drpo-studio',
    });
  });

  it('falls back to drpo-studio with the reason when left open, and is an error when asked by name', () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const judge = resolveJudgeProtocol(config({}).judge, empty);
    expect(judge.protocol).toBe('drpo-studio');
    expect(judge.protocol === 'drpo-studio' && judge.fallback).toContain(
      `just-eval's judge templates are not in ${path.join(empty, 'just-eval')}`,
    );
    expect(() => resolveJudgeProtocol(config({ protocol: 'just-eval' }).judge, empty)).toThrow(
      /judge.protocol is "just-eval", but just-eval's judge templates are not in .*eval-set fetch/,
    );
  });

  it("reads the user's own template files relative to the config, checked as Python would fail on them", () => {
    writeFileSync(path.join(dir, 'multi.txt'), MULTI);
    writeFileSync(path.join(dir, 'safety.txt'), SAFETY);
    const judge = resolveJudgeProtocol(config({ templates: { regular: 'multi.txt', safety: 'safety.txt' } }).judge);
    expect(judge).toMatchObject({
      protocol: 'just-eval',
      templates: { regular: { file: path.join(dir, 'multi.txt') } },
    });
    // The safety template has 29 lines, each ending in a line break: then an empty line 30, and "Price: $5" is line 31.
    writeFileSync(path.join(dir, 'bad.txt'), `${SAFETY}\nPrice: $5`);
    expect(() =>
      resolveJudgeProtocol(config({ templates: { regular: 'multi.txt', safety: 'bad.txt' } }).judge),
    ).toThrow(/bad\.txt: ValueError: Invalid placeholder in string: line 31, col 8/);
    expect(() =>
      resolveJudgeProtocol(config({ templates: { regular: 'multi.txt', safety: 'nope.txt' } }).judge),
    ).toThrow(/nope\.txt does not exist/);
    expect(() =>
      config({ protocol: 'drpo-studio', templates: { regular: 'multi.txt', safety: 'safety.txt' } }),
    ).toThrow(/cannot serve judge.protocol "drpo-studio"/);
    expect(existsSync(path.join(dir, 'experiments'))).toBe(false);
  });
});
