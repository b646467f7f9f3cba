// Which prompts the evaluation judge gets. 'just-eval' (the default when its templates can be
// had): just-eval's own two templates, filled as just-eval fills them, so the figures compare with
// the paper's tables. 'drpo-studio': the project's own prompts (resources/prompts/eval-*.txt).
// Resolved once, when an experiment is created, and kept in its folder: a resume judges with the
// same templates even if the files changed since.
import { statSync } from 'node:fs';
import { z } from 'zod';
import type { JudgeProtocolSummary } from '../../shared/experimentTypes.js';
import {
  defaultTemplateFile,
  type JudgeTemplate,
  justEvalTemplatesDir,
  readTemplateFile,
  TEMPLATE_KINDS,
  type TemplateKind,
  templateFrom,
} from './justEvalTemplates.js';

export const JUDGE_PROTOCOLS = ['just-eval', 'drpo-studio'] as const;
export type JudgeProtocolName = (typeof JUDGE_PROTOCOLS)[number];

export type JudgeProtocol =
  | { protocol: 'just-eval'; templates: Record<TemplateKind, JudgeTemplate> }
  /** `fallback`: why just-eval's templates were not used although the config left the choice open. */
  | { protocol: 'drpo-studio'; fallback?: string };

export interface JudgeProtocolChoice {
  protocol?: JudgeProtocolName;
  /** The user's own template files (absolute once the config is normalized). */
  templates?: Record<TemplateKind, string>;
}

/** The protocol an experiment will judge with; an explicit choice that cannot be met is an error here, before any call. */
export function resolveJudgeProtocol(choice: JudgeProtocolChoice, userDataDir?: string): JudgeProtocol {
  if (choice.protocol === 'drpo-studio') return { protocol: 'drpo-studio' };
  if (choice.templates) {
    const given = choice.templates;
    return { protocol: 'just-eval', templates: mapKinds((kind) => readTemplateFile(given[kind])) };
  }
  const files = userDataDir ? mapKinds((kind) => defaultTemplateFile(userDataDir, kind)) : undefined;
  const missing = files ? TEMPLATE_KINDS.filter((kind) => !existsSyncSafe(files[kind])) : TEMPLATE_KINDS;
  if (files && missing.length === 0)
    return { protocol: 'just-eval', templates: mapKinds((kind) => readTemplateFile(files[kind])) };
  const where = userDataDir ? justEvalTemplatesDir(userDataDir) : 'the user-data folder';
  const why = `just-eval's judge templates are not in ${where} (\`drpo-studio eval-set fetch\` puts them there; or give judge.templates)`;
  if (choice.protocol === 'just-eval') throw new Error(`judge.protocol is "just-eval", but ${why}`);
  return {
    protocol: 'drpo-studio',
    fallback: `${why}: the judge uses the project's own prompts (protocol "drpo-studio"), whose figures do not compare with the paper's`,
  };
}

function mapKinds<T>(f: (kind: TemplateKind) => T): Record<TemplateKind, T> {
  return { regular: f('regular'), safety: f('safety') };
}

function existsSyncSafe(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** What result.json records: the protocol, and the templates' files and sha256 (not their text). */
export function protocolSummary(judge: JudgeProtocol): JudgeProtocolSummary {
  if (judge.protocol === 'drpo-studio')
    return { protocol: 'drpo-studio', ...(judge.fallback ? { fallback: judge.fallback } : {}) };
  return {
    protocol: 'just-eval',
    templates: mapKinds((kind) => ({ file: judge.templates[kind].file, sha256: judge.templates[kind].sha256 })),
  };
}

const savedTemplate = z.object({ file: z.string(), sha256: z.string(), text: z.string() });
const savedProtocol = z.discriminatedUnion('protocol', [
  z.object({
    protocol: z.literal('just-eval'),
    templates: z.object({ regular: savedTemplate, safety: savedTemplate }),
  }),
  z.object({ protocol: z.literal('drpo-studio'), fallback: z.string().optional() }),
]);

/**
 * The protocol an experiment folder keeps (config.json), checked again as it is read: its
 * templates must still be templates and match their recorded sha256. Folders written before
 * protocols existed hold none: they were judged with the project's own prompts.
 */
export function savedJudgeProtocol(value: unknown, where: string): JudgeProtocol {
  if (value === undefined) return { protocol: 'drpo-studio' };
  const parsed = savedProtocol.safeParse(value);
  if (!parsed.success)
    throw new Error(`${where}: judgeProtocol is not a judge protocol:\n${z.prettifyError(parsed.error)}`);
  const saved = parsed.data;
  if (saved.protocol === 'drpo-studio') return saved;
  const templates = mapKinds((kind) => {
    const template = templateFrom(saved.templates[kind].text, `${where}: the ${kind} template`);
    if (template.sha256 !== saved.templates[kind].sha256)
      throw new Error(`${where}: the ${kind} template does not match its recorded sha256`);
    return { ...template, file: saved.templates[kind].file };
  });
  return { protocol: 'just-eval', templates };
}
