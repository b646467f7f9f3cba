// The data a run reads: seed queries (several files concatenated, optionally shuffled and cut)
// and the ICL examples.
import type { RunConfig } from '../config/runConfig.js';
import { readIclExamples, readSeedQueries, shuffled } from '../data/dataFiles.js';
import type { IclExample, SeedQuery } from '../engine/types.js';
import type { RunStage } from '../store/runLog.js';

export function loadRunData(config: RunConfig, stage: RunStage): { queries: SeedQuery[]; examples: IclExample[] } {
  const examples = readIclExamples(config.data.iclExamples!);
  if (stage === 'icl') return { queries: [], examples };
  const files = config.data.seedQueries as string[];
  let queries = files.flatMap((file) => readSeedQueries(file));
  if (config.data.shuffleSeed !== undefined) queries = shuffled(queries, config.data.shuffleSeed);
  if (config.data.limit !== undefined) queries = queries.slice(0, config.data.limit);
  return { queries, examples };
}
