// The base model's prompt format for a run: the config's, or (none given) the reference's
// completion format where the base backend completes raw text and its chat path where it only
// chats. Chosen once the backends are open (a probe may narrow what they do) and logged, so a
// resumed run keeps the format its cached calls were made with.
import type { Capabilities } from '../../plugins/contract.js';
import type { RunConfig } from '../config/runConfig.js';
import { defaultPromptFormat, type PromptFormat } from '../engine/promptAssembly.js';
import type { LoggedEvent } from '../store/runLog.js';

export interface PromptFormatChoice {
  format: PromptFormat;
  /** True when the config named none and the base backend decided. */
  automatic: boolean;
}

export function runPromptFormat(
  config: Pick<RunConfig, 'promptFormat'>,
  previous: readonly LoggedEvent[],
  base: Pick<Capabilities, 'completion'>,
): PromptFormatChoice {
  if (config.promptFormat) return { format: config.promptFormat, automatic: false };
  const started = previous.findLast((e) => e.type === 'prompt-format');
  if (started?.type === 'prompt-format') return { format: started.format, automatic: true };
  return { format: defaultPromptFormat(base), automatic: true };
}
