// Whether each role's backend can serve what the role sends, checked before a run starts (and by
// the connection tests), from the plugins' manifests and the servers' kept profiles; nothing is
// opened. A role whose input the backend cannot take is refused: the run would finish having
// optimized nothing. A role that asks for JSON from a backend that cannot constrain it is warned
// about: its replies are parsed and repaired instead.
import type { Capabilities, ServerProfile } from '../../plugins/contract.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import type { RunConfig } from '../config/runConfig.js';
import { defaultPromptFormat, type PromptFormat, sendsChat } from '../engine/promptAssembly.js';
import type { Role } from '../llm/callLedger.js';
import type { RunStage } from '../store/runLog.js';
import { type BackendDescription, type BackendHost, describeBackends } from './openBackends.js';

export interface RoleFitness {
  /** Why the run cannot start, one line per backend. */
  refusals: string[];
  /** What will work, but worse, one line per backend. */
  warnings: string[];
}

/** The selector, judge and optimizer send chats and ask for JSON (structuredCall.ts); the base model's input follows the prompt format. */
const JSON_ROLES: readonly Role[] = ['selector', 'judge', 'optimizer'];

/** The roles a stage calls: the ICL stage has no base model, static rewarding no selector. */
export function stageRoles(config: Pick<RunConfig, 'reward'>, stage: RunStage): Role[] {
  const roles: Role[] =
    stage === 'icl' ? ['selector', 'judge', 'optimizer'] : ['base', 'selector', 'judge', 'optimizer'];
  return config.reward.mode === 'static' ? roles.filter((r) => r !== 'selector') : roles;
}

/** The base model's format on this backend: the config's, else the one the run will choose for it. */
function baseFormat(config: Pick<RunConfig, 'promptFormat'>, caps: Capabilities): PromptFormat {
  return config.promptFormat ?? defaultPromptFormat(caps);
}

/** The JSON constraint the profile found for the API chats go to; null: none works; undefined: not known. */
function chatConstraint(profile: ServerProfile | undefined) {
  if (!profile) return undefined;
  return profile.json.chat !== undefined ? profile.json.chat : profile.json.completion;
}

const list = (roles: readonly string[]) =>
  roles.length === 1 ? `the ${roles[0]}` : `the ${roles.slice(0, -1).join(', ')} and ${roles.at(-1)}`;

/** Judges the roles' needs against what their backends do. */
export function judgeRoleFitness(
  config: Pick<RunConfig, 'roles' | 'promptFormat' | 'reward'>,
  stage: RunStage,
  backends: readonly BackendDescription[],
): RoleFitness {
  const fitness: RoleFitness = { refusals: [], warnings: [] };
  const roles = stageRoles(config, stage);
  for (const backend of backends) {
    const on = roles.filter((role) => config.roles[role].backend === backend.name);
    if (on.length === 0) continue;
    const caps: Capabilities = backend.capabilities;
    const who = `backend "${backend.name}" (plugin ${backend.pluginId})`;
    const format = baseFormat(config, caps);
    const needs = (input: 'chat' | 'text') =>
      on.filter((role) => (role === 'base' && !sendsChat(format) ? 'text' : 'chat') === input);
    const chat = needs('chat');
    if (chat.length > 0 && !caps.chat)
      fitness.refusals.push(
        `${who} only does raw completion: ${list(chat)} ${chat.length === 1 ? 'needs' : 'need'} chat; use a chat-capable backend for ${list(chat)} (roles.${chat[0]}.backend)${chat.includes('base') ? ', or a completion prompt format (promptFormat "drpo")' : ''}`,
      );
    if (needs('text').length > 0 && !caps.completion)
      fitness.refusals.push(
        `${who} only does chat: the base model's prompt format "${format}" is a raw completion; use promptFormat "drpo-chat" (the reference's chat path, chosen when promptFormat is left out), or a completion-capable backend for the base role`,
      );
    const json = on.filter((role) => JSON_ROLES.includes(role));
    const constraint = chatConstraint(backend.profile);
    if (json.length > 0 && (!caps.jsonSchema || constraint === null))
      fitness.warnings.push(
        `${who} cannot constrain replies to a JSON schema${caps.jsonSchema ? ' (its server followed none in the probe)' : ''}: ${list(json)}'s replies are parsed and repaired, slower and less reliable`,
      );
  }
  return fitness;
}

/** The fitness of a config's roles for a stage, from the backends' manifests and kept profiles. */
export async function roleFitness(config: RunConfig, stage: RunStage, host: BackendHost = {}): Promise<RoleFitness> {
  const roles = stageRoles(config, stage);
  const backends = await describeBackends(
    config,
    roles.map((role) => config.roles[role].backend!),
    host,
  );
  return judgeRoleFitness(config, stage, backends);
}

/** Refuses a run whose roles a backend cannot serve (the message lists every refusal). */
export function assertFit(fitness: RoleFitness): void {
  if (fitness.refusals.length > 0) throw new StudioApiError('invalid-argument', fitness.refusals.join('; '));
}
