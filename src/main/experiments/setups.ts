// Alignment setups an experiment compares, resolved once to text at its start (and saved in the
// experiment folder, so a resume evaluates exactly the same prompts): the basic prompt, a typed
// or file prompt with ICL examples, a URIAL prompt file, or a finished run's result.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunConfig } from '../config/runConfig.js';
import { readIclExamples } from '../data/dataFiles.js';
import type { PromptFormat } from '../engine/promptAssembly.js';
import type { IclExample } from '../engine/types.js';
import type { IclResult, SystemPromptResult } from '../runs/runResult.js';
import { readResult, readRunFolder } from '../store/runFolder.js';
import { BASIC_PROMPT, type SetupConfig } from './experimentConfig.js';

export interface ResolvedSetup {
  name: string;
  kind: SetupConfig['kind'];
  systemPrompt: string;
  examples: IclExample[];
  /** Examples retrieved per query. */
  k: number;
  format?: PromptFormat;
  /** URIAL as published: the first k examples in the file's order for every query, none retrieved. */
  keepFileOrder?: boolean;
  /** A run setup's: its run's retriever (other setups rank with the experiment's). */
  embedder?: RunConfig['retrieval']['embedder'];
}

const DEFAULT_K = 2;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** A URIAL prompt: "# Instruction" text, then "# Query:" / "# Answer:" pairs in ``` fences. */
export function parseUrialPrompt(text: string, where: string): { systemPrompt: string; examples: IclExample[] } {
  const normalized = text.replace(/\r\n/g, '\n');
  const blocks = normalized.split(/^# Query:[ \t]*$/m);
  const systemPrompt = blocks[0]!.replace(/^\s*# Instruction[ \t]*\n/, '').trim();
  const examples = blocks.slice(1).map((block, i) => {
    const match = /^\s*```\n([\s\S]*?)\n```\s*\n# Answer:[ \t]*\n```\n([\s\S]*?)\n```\s*$/.exec(block);
    if (!match) throw new Error(`${where}: example ${i + 1} is not a fenced "# Query:" / "# Answer:" pair`);
    // Untrimmed (a query may end in a space): the urial format lays a parsed file out as it was.
    return { query: match[1]!, answer: match[2]! };
  });
  if (!systemPrompt) throw new Error(`${where}: no instructions before the first "# Query:"`);
  return { systemPrompt, examples };
}

/** The examples a run setup ships: an ICL run folder's polished ones, a file, or (none given) those the run used. */
function runExamples(runConfig: RunConfig, override: string | undefined): IclExample[] {
  if (override && existsSync(path.join(override, 'config.json'))) {
    const result = readResult<IclResult>(override);
    if (result?.stage !== 'icl') throw new Error(`${override} is not a finished ICL run`);
    return readIclExamples(path.join(override, result.iclExamplesFile));
  }
  return readIclExamples(override ?? runConfig.data.iclExamples!);
}

export function resolveSetup(setup: SetupConfig): ResolvedSetup {
  let systemPrompt: string;
  let examples: IclExample[] = [];
  let k = setup.k ?? DEFAULT_K;
  let format = setup.format;
  let keepFileOrder = false;
  let embedder: ResolvedSetup['embedder'];
  switch (setup.kind) {
    case 'baseline':
      systemPrompt = setup.systemPrompt;
      k = 0;
      break;
    case 'prompt':
      systemPrompt = setup.systemPrompt ?? readText(setup.systemPromptFile!, 'the system prompt file').trim();
      if (setup.examples) examples = readIclExamples(setup.examples);
      break;
    case 'urial': {
      ({ systemPrompt, examples } = parseUrialPrompt(readText(setup.file, 'the URIAL prompt'), setup.file));
      k = setup.k ?? examples.length;
      format ??= 'urial';
      keepFileOrder = true;
      break;
    }
    case 'run': {
      const { config } = readRunFolder(setup.run);
      const result = readResult<SystemPromptResult>(setup.run);
      if (result?.stage !== 'system-prompt')
        throw new Error(`setup "${setup.name}": ${setup.run} is not a finished system-prompt run`);
      systemPrompt = result.bestPrompt;
      examples = runExamples(config, setup.examples);
      k = setup.k ?? config.retrieval.k;
      format ??= config.promptFormat;
      embedder = config.retrieval.embedder;
      break;
    }
  }
  if (setup.withoutSystemPrompt) systemPrompt = BASIC_PROMPT;
  if (setup.withoutExamples) k = 0;
  return {
    name: setup.name,
    kind: setup.kind,
    systemPrompt,
    examples: k === 0 ? [] : examples,
    k: Math.min(k, examples.length),
    format,
    ...(keepFileOrder ? { keepFileOrder } : {}),
    ...(embedder ? { embedder } : {}),
  };
}
