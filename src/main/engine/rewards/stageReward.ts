// Which reward a stage uses. The system-prompt stage: the paper's selector (2–5 aspects) and judge.
// The ICL stage, by default, the reference's harsher critic: its own selector (3–6 aspects, may
// rename or propose aspects) and a judge that deducts for every flaw; `iclJudge: 'reward'` gives
// it the system-prompt stage's. Either may start from published selections.
import type { AspectCatalog } from '../types.js';
import { REWARD_TEMPLATES, type RewardOptions, type RewardTemplates } from './dynamicReward.js';
import { loadImportedSelections, unusableSelectionsWarning } from './importedSelections.js';
import type { SelectionRules } from './selectionReply.js';

/** The run config's `reward` section, as far as the reward reads it. */
export interface RewardSettings extends SelectionRules {
  mode: 'dynamic' | 'static';
  promptsDir?: string;
  iclJudge: 'critic' | 'reward';
  iclMinAspects: number;
  iclMaxAspects: number;
  selections?: string;
}

export const ICL_CRITIC_TEMPLATES: RewardTemplates = { selection: 'icl-aspect-selection', reward: 'icl-reward' };

const usesCritic = (settings: Pick<RewardSettings, 'iclJudge'>, stage: 'system-prompt' | 'icl') =>
  stage === 'icl' && settings.iclJudge === 'critic';

export function rewardTemplates(
  settings: Pick<RewardSettings, 'iclJudge'>,
  stage: 'system-prompt' | 'icl',
): RewardTemplates {
  return usesCritic(settings, stage) ? ICL_CRITIC_TEMPLATES : REWARD_TEMPLATES;
}

/**
 * The reward's options for a stage, and the warnings to give before it starts (imported selections
 * that cannot be used). A selections file that cannot be read at all is an error, before any call.
 */
export function stageRewardOptions(
  settings: RewardSettings,
  stage: 'system-prompt' | 'icl',
  catalog: AspectCatalog,
): { options: RewardOptions; warnings: string[] } {
  const critic = usesCritic(settings, stage);
  const rules: SelectionRules = {
    minAspects: critic ? settings.iclMinAspects : settings.minAspects,
    maxAspects: critic ? settings.iclMaxAspects : settings.maxAspects,
    allowNewAspects: settings.allowNewAspects,
    ...(settings.textMaxChars === undefined ? {} : { textMaxChars: settings.textMaxChars }),
  };
  const imported =
    settings.selections === undefined ? undefined : loadImportedSelections(settings.selections, catalog, rules);
  const warning = imported && unusableSelectionsWarning(imported);
  return {
    options: {
      ...rules,
      mode: settings.mode,
      catalog,
      promptsDir: settings.promptsDir,
      templates: rewardTemplates(settings, stage),
      ...(imported ? { imported } : {}),
    },
    warnings: warning ? [warning] : [],
  };
}
