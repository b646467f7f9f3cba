// Capability fallbacks. Servers that say "OpenAI-compatible" are often only partly so, so every
// optional request feature (stream usage, n > 1, response_format, vLLM's guided_json, the
// max_tokens field name) starts "unknown"; a 400 (or a 500 whose message names the feature, or
// any 500 to n > 1) while it is unknown makes the client retry without it, and the first success
// settles it for the rest of the client's life. A feature a rejection named is learned even when
// the retry fails too. What a probe found (ServerProfile) settles n > 1, stream usage and, per
// API, the JSON field: a 200 proves nothing about a schema, so only the probe picks that field.

import {
  type Capabilities,
  type GenerateRequest,
  type JsonConstraint,
  ModelCallError,
  type ServerProfile,
} from '../contract.js';
import { isContextFull } from './contextFull.js';
import { httpStatusOf } from './errors.js';
import type { CompatibleClientOptions } from './options.js';
import type { Route } from './request.js';

/** Optional request features a server may reject. 'maxTokens' unsupported = send max_completion_tokens. */
export type Feature = 'streamUsage' | 'multipleChoices' | 'guidedJson' | 'responseFormat' | 'maxTokens';
type FeatureState = 'unknown' | 'supported' | 'unsupported';

const FEATURE_HINTS: Record<Feature, RegExp> = {
  streamUsage: /stream_options|include_usage/i,
  multipleChoices: /\bn\s*(>|=|must\b|should\b|is\b|can\b)|['"`]n['"`]|\bchoices?\b/i,
  guidedJson: /guided/i,
  responseFormat: /response_format|json_schema|json_object/i,
  maxTokens: /max_completion_tokens/i,
};
/** Tried in this order when a 400 names no feature. */
const BLIND_DROP_ORDER: Feature[] = ['streamUsage', 'multipleChoices', 'guidedJson', 'responseFormat'];

const FEATURE_NAMES: Record<Feature, string> = {
  streamUsage: 'stream_options.include_usage',
  multipleChoices: 'n > 1',
  guidedJson: 'guided_json',
  responseFormat: 'response_format (JSON schema)',
  maxTokens: 'max_tokens',
};

const INSTEAD: Record<Feature, string> = {
  multipleChoices: 'sending n = 1 (the host asks for the other samples)',
  maxTokens: 'sending max_completion_tokens instead',
  streamUsage: 'estimating usage when the server reports none',
  guidedJson: 'leaving JSON validation to the host',
  responseFormat: 'leaving JSON validation to the host',
};

/** What one client has learnt about its server's features. */
export class FeatureBook {
  private readonly states = new Map<Feature, FeatureState>();
  private profile: ServerProfile | undefined;

  constructor(
    private readonly options: Pick<CompatibleClientOptions, 'label' | 'baseURLs' | 'guidedJson' | 'jsonField' | 'log'>,
  ) {}

  /** From now on, what the probe found is what the client uses. */
  applyProfile(profile: ServerProfile): void {
    this.profile = profile;
    if (profile.multipleSamples !== undefined)
      this.states.set('multipleChoices', profile.multipleSamples ? 'supported' : 'unsupported');
    if (profile.streamUsage !== undefined)
      this.states.set('streamUsage', profile.streamUsage ? 'supported' : 'unsupported');
  }

  /** The declared capabilities, less what the server was found not to do (its main API's JSON field). */
  narrow(declared: Capabilities, mainApi: Route['api']): Capabilities {
    return {
      ...declared,
      multipleSamples: declared.multipleSamples && this.state('multipleChoices') !== 'unsupported',
      jsonSchema: declared.jsonSchema && this.jsonField(mainApi) !== null,
    };
  }

  /** The JSON field `api` uses: the user's setting, else the probed one (null: none); undefined: not probed. */
  jsonField(api: Route['api']): JsonConstraint | null | undefined {
    const { jsonField } = this.options;
    if (jsonField === 'none') return null;
    return jsonField === 'auto' ? this.profile?.json[api] : jsonField;
  }

  /** The fields a schema goes through on `api`: the probed one (or none), else the unproven features in use. */
  jsonConstraints(api: Route['api'], used: ReadonlySet<Feature>): JsonConstraint[] {
    const known = this.jsonField(api);
    if (known !== undefined) return known === null ? [] : [known];
    return [
      ...(used.has('responseFormat') ? (['response_format:json_schema'] as const) : []),
      ...(used.has('guidedJson') ? (['guided_json'] as const) : []),
    ];
  }

  /** The features a request without n > 1 or a schema uses now (the probe's requests). */
  plainFeatures(): ReadonlySet<Feature> {
    return this.featuresFor({ n: 1 }, 'chat', new Map());
  }

  /**
   * Runs `attempt` with the features the request may use on `api`; after a rejection that an
   * unproven feature may have caused, runs it again without that feature.
   */
  async withFallbacks<T>(
    request: Pick<GenerateRequest, 'n' | 'jsonSchema'>,
    api: Route['api'],
    attempt: (used: ReadonlySet<Feature>) => Promise<T>,
  ): Promise<T> {
    const { label, log } = this.options;
    // Features this call left out, and whether the rejection named them.
    const dropped = new Map<Feature, 'named' | 'guessed'>();
    let lastDropped: Feature | undefined;
    for (;;) {
      const used = this.featuresFor(request, api, dropped);
      try {
        const result = await attempt(used);
        for (const feature of used) if (this.state(feature) === 'unknown') this.states.set(feature, 'supported');
        // A guess that was not the last drop may have been innocent: it stays unknown and is
        // tried again (and settled) by a later call.
        for (const [feature, how] of dropped) {
          if (how === 'named' || feature === lastDropped) this.learnUnsupported(feature, 'the server rejected it');
        }
        return result;
      } catch (error) {
        const next = error instanceof ModelCallError ? this.featureToDrop(error, used, dropped) : undefined;
        if (!next) {
          for (const [feature, how] of dropped)
            if (how === 'named') this.learnUnsupported(feature, 'the server rejected it');
          throw error;
        }
        dropped.set(next.feature, next.named ? 'named' : 'guessed');
        lastDropped = next.feature;
        const said = (error as Error).message.replace(`${label}: `, '');
        log(`${label}: ${said}; retrying without ${FEATURE_NAMES[next.feature]}`);
      }
    }
  }

  learnUnsupported(feature: Feature, why: string): void {
    if (this.state(feature) === 'unsupported') return;
    this.states.set(feature, 'unsupported');
    const { label, baseURLs, log } = this.options;
    log(
      `${label}: ${baseURLs.join(', ')}: ${FEATURE_NAMES[feature]} not supported (${why}); ${INSTEAD[feature]} from now on`,
    );
  }

  private state(feature: Feature): FeatureState {
    return this.states.get(feature) ?? 'unknown';
  }

  /** The features this request would use, given what is known and what this call already dropped. */
  private featuresFor(
    request: Pick<GenerateRequest, 'n' | 'jsonSchema'>,
    api: Route['api'],
    dropped: ReadonlyMap<Feature, unknown>,
  ): Set<Feature> {
    const used = new Set<Feature>();
    const consider = (feature: Feature, applies: boolean): void => {
      if (applies && !dropped.has(feature) && this.state(feature) !== 'unsupported') used.add(feature);
    };
    consider('streamUsage', true);
    consider('maxTokens', true);
    consider('multipleChoices', request.n > 1);
    const unprobedJson = request.jsonSchema !== undefined && this.jsonField(api) === undefined;
    consider('responseFormat', unprobedJson);
    consider('guidedJson', unprobedJson && this.options.guidedJson);
    return used;
  }

  /** Which still-unproven feature to leave out after a rejection, if any. */
  private featureToDrop(
    error: ModelCallError,
    used: ReadonlySet<Feature>,
    dropped: ReadonlyMap<Feature, unknown>,
  ): { feature: Feature; named: boolean } | undefined {
    const rejection = error.kind === 'bad-request' || httpStatusOf(error) === 500;
    // A prompt too long for the context fails whatever the request leaves out.
    if (!rejection || isContextFull(error.message)) return undefined;
    const candidates = [...used].filter((f) => this.state(f) === 'unknown' && !dropped.has(f));
    const named = candidates.find((f) => FEATURE_HINTS[f].test(error.message));
    if (named) return { feature: named, named: true };
    // A 500 that names nothing is a server failure, not a quirk, except to an unproven n > 1
    // (servers that take one choice only answer it with a 500 in their own words); a 400 may be either.
    if (error.kind !== 'bad-request')
      return candidates.includes('multipleChoices') ? { feature: 'multipleChoices', named: false } : undefined;
    const guessed = BLIND_DROP_ORDER.find((f) => candidates.includes(f));
    return guessed ? { feature: guessed, named: false } : undefined;
  }
}
