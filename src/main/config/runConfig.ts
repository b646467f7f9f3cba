// The JSON config of a run (README: "Config"). Validated where it enters; relative paths are
// resolved against the config file's folder; every default follows the published code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { argumentIssues, invalidArgument, plainMessage } from '../../shared/argumentIssues.js';
import { type backendSchema, runConfigSchema } from '../../shared/runConfigSchema.js';
import { ICL_ROLE_DEFAULTS, ROLE_DEFAULTS, ROLES, type Role, type RunStage } from '../../shared/runOptions.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { resourcePath } from '../resourcePaths.js';

// The schema itself is shared (src/shared/runConfigSchema.ts): the API boundary and the renderer use it too.

export type RunConfig = z.infer<typeof runConfigSchema>;
export type BackendConfig = z.infer<typeof backendSchema>;

function resolveFrom(dir: string, file: string | undefined): string | undefined {
  return file === undefined ? undefined : path.resolve(dir, file);
}

/** How a role samples in a stage: `roles`, with the ICL stage's `iclRoles` over it (filled by normalizeConfig). */
export function stageSampling(config: RunConfig, stage: RunStage, role: Role) {
  const r = config.roles[role];
  const over = stage === 'icl' ? config.iclRoles[role] : {};
  return {
    temperature: over.temperature ?? r.temperature!,
    topP: over.topP ?? r.topP,
    maxTokens: over.maxTokens ?? r.maxTokens,
    seed: over.seed ?? r.seed,
  };
}

/** A config field that contradicts another: an invalid-argument StudioApiError wherever it is caught. */
function invalid(path: string, message: string): StudioApiError {
  return new StudioApiError('invalid-argument', `invalid config: ${path} ${message}`, { issues: [{ path, message }] });
}

/** Validates, fills roles' backends, and makes every path absolute; a wrong field is an invalid-argument StudioApiError. */
export function normalizeConfig(input: unknown, baseDir: string): RunConfig {
  const parsed = runConfigSchema.safeParse(input, { error: plainMessage });
  if (!parsed.success) throw invalidArgument('invalid config', argumentIssues(parsed.error));
  const config = parsed.data;
  const backendNames = Object.keys(config.backends);
  for (const role of ROLES) {
    const r = config.roles[role];
    // The ICL stage's sampling: its own setting, else the role's as the user gave it, else the
    // reference's ICL default; filled before `roles` gets its defaults, so those never hide the ICL ones.
    const icl = config.iclRoles[role];
    const temperature = icl.temperature ?? r.temperature ?? ICL_ROLE_DEFAULTS[role]?.temperature;
    const topP = icl.topP ?? r.topP ?? ICL_ROLE_DEFAULTS[role]?.topP;
    if (temperature !== undefined) icl.temperature = temperature;
    if (topP !== undefined) icl.topP = topP;
    r.backend ??= backendNames[0];
    if (!Object.hasOwn(config.backends, r.backend!))
      throw invalid(`roles.${role}.backend`, `"${r.backend}" is not one of: ${backendNames.join(', ')}`);
    r.temperature ??= ROLE_DEFAULTS[role].temperature;
    if (role === 'optimizer') r.topP ??= ROLE_DEFAULTS.optimizer.topP;
  }
  if (config.reward.minAspects > config.reward.maxAspects)
    throw invalid('reward.minAspects', 'exceeds reward.maxAspects');
  if (config.reward.iclMinAspects > config.reward.iclMaxAspects)
    throw invalid('reward.iclMinAspects', 'exceeds reward.iclMaxAspects');
  // Plugins resolve their own relative settings (a model path) against this folder.
  config.baseDir = baseDir;
  const seeds = config.data.seedQueries;
  config.data.seedQueries = (Array.isArray(seeds) ? seeds : [seeds ?? resourcePath('seed-queries.json')]).map((f) =>
    path.resolve(baseDir, f),
  );
  config.data.iclExamples = resolveFrom(baseDir, config.data.iclExamples) ?? resourcePath('icl-examples.json');
  config.reward.aspects = resolveFrom(baseDir, config.reward.aspects) ?? resourcePath('aspects.json');
  config.reward.promptsDir = resolveFrom(baseDir, config.reward.promptsDir);
  config.reward.selections = resolveFrom(baseDir, config.reward.selections);
  const embedder = config.retrieval.embedder;
  if (typeof embedder === 'object' && embedder.kind === 'transformers')
    embedder.modelDir = path.resolve(baseDir, embedder.modelDir);
  if (
    typeof embedder === 'object' &&
    embedder.kind === 'backend' &&
    !Object.hasOwn(config.backends, embedder.backend)
  ) {
    throw invalid('retrieval.embedder.backend', `"${embedder.backend}" is not one of: ${backendNames.join(', ')}`);
  }
  config.runsDir = path.resolve(baseDir, config.runsDir);
  config.cacheDir = config.cacheDir === null ? null : path.resolve(baseDir, config.cacheDir);
  return config;
}

/** A config file's JSON, or an error naming the file and what kind of config it should hold. */
export function readJsonConfig(file: string, what = 'config'): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

export function loadRunConfig(file: string): RunConfig {
  return normalizeConfig(readJsonConfig(file), path.dirname(path.resolve(file)));
}
