// just-eval's two judge templates (Re-Align/just-eval, MIT): where `eval-set fetch` puts them
// (<user data>/just-eval/), reading and checking a template file, and downloading them from the
// benchmark's repository, where they are Python files holding one string literal each.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { assignedString } from './pythonLiteral.js';
import { placeholders, TemplateError } from './pythonTemplate.js';

export type TemplateKind = 'regular' | 'safety';

/** A template as an experiment keeps it: its text, where it was read, and its sha256 (recorded in result.json). */
export interface JudgeTemplate {
  file: string;
  sha256: string;
  text: string;
}

/** The repository folder the templates are downloaded from. */
export const JUST_EVAL_TEMPLATES_URL = 'https://raw.githubusercontent.com/Re-Align/just-eval/main/just_eval/';

const SOURCES: Record<TemplateKind, { python: string; name: string; file: string }> = {
  regular: { python: '_MULTI_SCORE_TEMPLATE.py', name: 'MULTI_SCORE_TEMPLATE', file: 'score_multi.template.txt' },
  safety: { python: '_SAFETY_SCORE_TEMPLATE.py', name: 'SAFETY_SCORE_TEMPLATE', file: 'score_safety.template.txt' },
};

export const TEMPLATE_KINDS: readonly TemplateKind[] = ['regular', 'safety'];

/** just-eval's templates are about 2 KB; anything far larger is not one. */
const MAX_TEMPLATE_BYTES = 256 * 1024;

/** The placeholders just-eval fills: `Template(t).substitute(instruction=…, candidate=…)`. */
export const TEMPLATE_FIELDS = ['instruction', 'candidate'] as const;

export function justEvalTemplatesDir(userDataDir: string): string {
  return path.join(userDataDir, 'just-eval');
}

export function defaultTemplateFile(userDataDir: string, kind: TemplateKind): string {
  return path.join(justEvalTemplatesDir(userDataDir), SOURCES[kind].file);
}

/**
 * Checks a template the way just-eval would fail on it, but before any call: an ill-formed `$`
 * (Python's ValueError) or a placeholder other than ${instruction}/${candidate} (Python's
 * KeyError); and one without ${candidate} would never show the judge the answer.
 */
export function checkTemplate(text: string, where: string): void {
  let names: string[];
  try {
    names = placeholders(text);
  } catch (error) {
    if (error instanceof TemplateError) throw new Error(`${where}: ${error.message} (just-eval would fail on it too)`);
    throw error;
  }
  const unknown = names.find((n) => !(TEMPLATE_FIELDS as readonly string[]).includes(n));
  if (unknown !== undefined)
    throw new Error(
      `${where}: KeyError: '${unknown}' — the placeholder $\{${unknown}} is not one just-eval fills (\${instruction}, \${candidate}); write $$ for a literal $`,
    );
  for (const field of TEMPLATE_FIELDS)
    if (!names.includes(field))
      throw new Error(`${where}: the template has no \${${field}}: the judge would never see it`);
}

export function templateFrom(text: string, file: string): JudgeTemplate {
  checkTemplate(text, file);
  return { file, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

export function readTemplateFile(file: string): JudgeTemplate {
  if (!existsSync(file)) throw new Error(`judge template ${file} does not exist`);
  const stat = statSync(file);
  if (!stat.isFile()) throw new Error(`judge template ${file} is not a file`);
  if (stat.size > MAX_TEMPLATE_BYTES)
    throw new Error(`judge template ${file} is larger than ${MAX_TEMPLATE_BYTES / 1024} KiB: not a judge template`);
  return templateFrom(readFileSync(file, 'utf8'), file);
}

/** Reads at most `limit` bytes of a response's body; a longer one is refused before it is all read. */
async function cappedText(response: Response, limit: number, url: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let read: Awaited<ReturnType<typeof reader.read>>;
    try {
      read = await reader.read();
    } catch (error) {
      throw new Error(`the download of ${url} was cut: ${(error as Error).message}`);
    }
    const { done, value } = read;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`${url} is larger than ${limit / 1024} KiB: not just-eval's template file`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Downloads both templates from `baseUrl` (a folder holding just-eval's two Python files) and checks them; writes nothing. */
export async function downloadJustEvalTemplates(
  baseUrl = JUST_EVAL_TEMPLATES_URL,
  fetchImpl: typeof fetch = fetch,
): Promise<Record<TemplateKind, string>> {
  const texts = {} as Record<TemplateKind, string>;
  for (const kind of TEMPLATE_KINDS) {
    const { python, name } = SOURCES[kind];
    const url = new URL(python, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
    let response: Response;
    try {
      response = await fetchImpl(url);
    } catch (error) {
      throw new Error(
        `cannot reach ${url}: ${(error as Error).message} (on a machine without internet, copy just-eval's two templates and give them as judge.templates)`,
      );
    }
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    const text = assignedString(await cappedText(response, MAX_TEMPLATE_BYTES, url), name, url);
    checkTemplate(text, url);
    texts[kind] = text;
  }
  return texts;
}

/** Writes downloaded templates where experiments look for them by default; returns their files. */
export function writeJustEvalTemplates(userDataDir: string, texts: Record<TemplateKind, string>): string[] {
  makePrivateDir(justEvalTemplatesDir(userDataDir));
  return TEMPLATE_KINDS.map((kind) => {
    const file = defaultTemplateFile(userDataDir, kind);
    writeFileAtomic(file, texts[kind]);
    return file;
  });
}
