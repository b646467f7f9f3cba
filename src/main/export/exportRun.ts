// Exports a finished run folder: its best prompt (or, for an ICL run, its polished examples) with
// the ICL set it used, in the prompt format it was optimized with. The CLI and the studio share it.
import path from 'node:path';
import type { RunConfig } from '../config/runConfig.js';
import { readIclExamples } from '../data/dataFiles.js';
import { defaultPromptFormat, type PromptFormat } from '../engine/promptAssembly.js';
import { type BackendHost, describeBackends } from '../runs/openBackends.js';
import { publishedTraceOf, readOnlyError } from '../runs/publishedTrace.js';
import type { IclResult, SystemPromptResult } from '../runs/runResult.js';
import { type RunFolderInfo, readResult } from '../store/runFolder.js';
import { type ExportFormat, exportAs } from './exportFormats.js';

export interface RunExportOptions {
  /** Model name or file for the Modelfile's FROM line (default: the base backend's model). */
  model?: string;
  /** ICL examples to ship instead of those the run used or produced. */
  iclFile?: string;
  /** Ship only the first n examples. */
  examples?: number;
}

/**
 * The format the run optimized with (its result says); an ICL run, whose stage has no base model,
 * ships in the format its system-prompt run would choose: the config's, else its base backend's,
 * or the reference's raw completion when that backend cannot be described here (an imported
 * run not bound yet, a plugin this host lacks).
 */
async function shippedFormat(
  config: RunConfig,
  result: SystemPromptResult | IclResult,
  host: BackendHost,
): Promise<PromptFormat> {
  if (result.stage === 'system-prompt' && result.promptFormat) return result.promptFormat;
  if (config.promptFormat) return config.promptFormat;
  const described = await describeBackends(config, [config.roles.base.backend!], host).catch(() => []);
  return described[0] ? defaultPromptFormat(described[0].capabilities) : 'drpo';
}

export async function exportRun(
  folder: RunFolderInfo,
  format: ExportFormat,
  options: RunExportOptions = {},
  host: BackendHost = {},
): Promise<string> {
  const result = readResult<SystemPromptResult | IclResult>(folder.dir);
  if (!result) throw new Error(`${folder.dir} has not finished (no result.json)`);
  const source = publishedTraceOf(result);
  // Its config is a stand-in: shipping the prompt with it would ship examples the paper never used.
  if (source) throw readOnlyError(folder.id, source, 'exported');
  const { config } = folder;
  const iclFile =
    options.iclFile ??
    (result.stage === 'icl' ? path.join(folder.dir, result.iclExamplesFile) : config.data.iclExamples!);
  const baseBackend = config.backends[config.roles.base.backend!]!;
  return exportAs(format, {
    systemPrompt: result.stage === 'system-prompt' ? result.bestPrompt : config.initialPrompt,
    examples: readIclExamples(iclFile).slice(0, options.examples ?? Infinity),
    format: await shippedFormat(config, result, host),
    k: config.retrieval.k,
    model:
      options.model ??
      String(baseBackend.settings.modelPath ?? baseBackend.settings.model ?? baseBackend.connection ?? 'MODEL'),
  });
}
