// What a server really does, found by a few tiny requests (contract.ts's ModelClient.probe):
// which server it is, n > 1, usage in streams and, per API the connection uses, the JSON field
// whose reply follows a schema. A schema counts as followed only when the reply parses and
// conforms to it: servers answer a field they ignore with a 200 and free text.

import { type JsonConstraint, ModelCallError, type ServerProfile } from '../contract.js';
import { httpStatusOf } from './errors.js';
import type { Feature } from './features.js';
import { CONSTRAINT_NAMES } from './jsonConstraints.js';
import type { CompatibleClientOptions } from './options.js';
import { type Route, routeFor } from './request.js';
import type { Sampler } from './sampling.js';
import { identifyServer, type ServerKind } from './serverIdentity.js';
import { type Sampled, streamOnce } from './stream.js';

// An enum value no prompt tells: only a server that follows the schema writes it.
const PROBE_VALUE = 'drpo-7q';
const PROBE_SCHEMA = {
  type: 'object',
  properties: { probe: { type: 'string', enum: [PROBE_VALUE] } },
  required: ['probe'],
};
const PROBE_MAX_TOKENS = 32;

/** The fields to try, most likely first, by what the server says it is. */
const TRY_ORDER: Record<ServerKind, Record<Route['api'], JsonConstraint[]>> = {
  llamacpp: {
    chat: ['response_format:json_object', 'json_schema', 'response_format:json_schema'],
    completion: ['json_schema', 'response_format:json_schema'],
  },
  vllm: {
    chat: ['response_format:json_schema', 'guided_json'],
    completion: ['response_format:json_schema', 'guided_json'],
  },
  openai: { chat: ['response_format:json_schema'], completion: ['response_format:json_schema'] },
  unknown: {
    chat: ['response_format:json_schema', 'guided_json', 'response_format:json_object', 'json_schema'],
    completion: ['response_format:json_schema', 'guided_json', 'json_schema'],
  },
};

export async function probeServer(sampler: Sampler, signal: AbortSignal | undefined): Promise<ServerProfile> {
  const { wire, pool, features } = sampler;
  const { options } = wire;
  const identity = await identifyServer(options.baseURLs[0]!, options.apiKey, options.model, signal);
  let requests = identity.requests;
  let usageSeen = false;
  const send = async (
    api: Route['api'],
    used: ReadonlySet<Feature>,
    { n, maxTokens, constraint }: { n: number; maxTokens: number; constraint?: JsonConstraint },
  ) => {
    const request = {
      input: api === 'chat' ? chatProbe : textProbe,
      temperature: 0,
      maxTokens,
      n,
      ...(constraint ? { jsonSchema: PROBE_SCHEMA } : {}),
    };
    const route = routeFor(request.input, options);
    const json = constraint ? [constraint] : [];
    const sampled: Sampled = await pool.run((endpoint) => {
      requests += 1;
      return streamOnce(wire, endpoint, { request, route, used, json, n, seed: undefined, signal, onText: undefined });
    });
    usageSeen ||= sampled.usage !== undefined;
    return sampled.texts;
  };

  const apis = apisOf(options);
  // n > 1 first, through the fallbacks: it also settles stream_options and the max_tokens field,
  // so that a rejection of a JSON field below is that field's.
  const choices = await features.withFallbacks({ n: 2 }, apis[0]!, async (used) => {
    const texts = await send(apis[0]!, used, { n: used.has('multipleChoices') ? 2 : 1, maxTokens: 1 });
    return texts.length;
  });
  const multipleSamples = choices >= 2;
  if (!multipleSamples) features.learnUnsupported('multipleChoices', `a probe with n = 2 got ${choices} choice(s)`);

  const json: ServerProfile['json'] = {};
  for (const api of apis) {
    json[api] = null;
    // The user's jsonField setting is not second-guessed (a probe cannot prove a field the user named wrong).
    if (options.jsonField !== 'auto') {
      json[api] = options.jsonField === 'none' ? null : options.jsonField;
      continue;
    }
    for (const constraint of TRY_ORDER[identity.kind][api]) {
      const plain = features.plainFeatures();
      const texts = await send(api, plain, { n: 1, maxTokens: PROBE_MAX_TOKENS, constraint }).catch(
        (error: unknown) => {
          if (refused(error)) return [];
          throw error;
        },
      );
      if (followsProbeSchema(texts[0])) {
        json[api] = constraint;
        break;
      }
    }
  }

  const found = {
    probedAt: Date.now(),
    ...(identity.name ? { server: identity.name } : {}),
    json,
    multipleSamples,
    streamUsage: usageSeen,
    ...(identity.contextLength ? { contextLength: identity.contextLength } : {}),
    requests,
  };
  const profile: ServerProfile = { ...found, summary: profileSummary(found) };
  features.applyProfile(profile);
  return profile;
}

const chatProbe = {
  kind: 'chat' as const,
  messages: [{ role: 'user' as const, content: 'Reply with a JSON object.' }],
};
const textProbe = { kind: 'text' as const, text: 'A JSON object:' };

/** The APIs generate() sends to: chat in chat mode, completions in completion mode or for raw text. */
function apisOf(options: Pick<CompatibleClientOptions, 'mode' | 'textInChatMode'>): Route['api'][] {
  if (options.mode === 'completion') return ['completion'];
  return options.textInChatMode === 'completion' ? ['chat', 'completion'] : ['chat'];
}

/** A field the server does not take: 400, 422, or a 500 in its own words. */
function refused(error: unknown): boolean {
  if (!(error instanceof ModelCallError)) return false;
  const status = httpStatusOf(error);
  return error.kind === 'bad-request' || status === 422 || status === 500;
}

function followsProbeSchema(text: string | undefined): boolean {
  try {
    const reply: unknown = JSON.parse(text ?? '');
    return (reply as { probe?: unknown } | null)?.probe === PROBE_VALUE;
  } catch {
    return false;
  }
}

function profileSummary(profile: Omit<ServerProfile, 'summary'>): string {
  const field = (c: JsonConstraint | null) => (c === null ? 'none' : CONSTRAINT_NAMES[c]);
  const { chat, completion } = profile.json;
  const json = [
    ...(chat !== undefined ? [`JSON on chat: ${field(chat)}`] : []),
    ...(completion !== undefined ? [`${chat !== undefined ? 'on' : 'JSON on'} completions: ${field(completion)}`] : []),
  ];
  const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no');
  return [
    ...(profile.server ? [profile.server] : []),
    ...json,
    `n>1: ${yesNo(profile.multipleSamples)}`,
    `usage in streams: ${yesNo(profile.streamUsage)}`,
    ...(profile.contextLength ? [`context ${profile.contextLength} tokens`] : []),
  ].join('; ');
}
