// Capability fallbacks. Servers that say "OpenAI-compatible" are often only partly so, so every
// optional request feature (stream usage, n > 1, response_format, vLLM's guided_json, the
// max_tokens field name) starts "unknown"; a 400 (or a 500 whose message names the feature)
// while it is unknown makes the client retry without it, and the first success settles it for
// the rest of the client's life.

import { type GenerateRequest, ModelCallError } from '../contract.js';
import { httpStatusOf } from './errors.js';
import type { CompatibleClientOptions } from './options.js';

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
  multipleChoices: 'fanning n out into separate requests',
  maxTokens: 'sending max_completion_tokens instead',
  streamUsage: 'estimating usage when the server reports none',
  guidedJson: 'leaving JSON validation to the host',
  responseFormat: 'leaving JSON validation to the host',
};

/** What one client has learnt about its server's features. */
export class FeatureBook {
  private readonly states = new Map<Feature, FeatureState>();

  constructor(private readonly options: Pick<CompatibleClientOptions, 'label' | 'baseURLs' | 'guidedJson' | 'log'>) {}

  /**
   * Runs `attempt` with the features the request may use; after a rejection that an unproven
   * feature may have caused, runs it again without that feature.
   */
  async withFallbacks<T>(request: GenerateRequest, attempt: (used: ReadonlySet<Feature>) => Promise<T>): Promise<T> {
    const { label, log } = this.options;
    // Features this call left out, and whether the rejection named them.
    const dropped = new Map<Feature, 'named' | 'guessed'>();
    let lastDropped: Feature | undefined;
    for (;;) {
      const used = this.featuresFor(request, dropped);
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
        if (!next) throw error;
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
  private featuresFor(request: GenerateRequest, dropped: ReadonlyMap<Feature, unknown>): Set<Feature> {
    const used = new Set<Feature>();
    const consider = (feature: Feature, applies: boolean): void => {
      if (applies && !dropped.has(feature) && this.state(feature) !== 'unsupported') used.add(feature);
    };
    consider('streamUsage', true);
    consider('maxTokens', true);
    consider('multipleChoices', request.n > 1);
    consider('responseFormat', request.jsonSchema !== undefined);
    consider('guidedJson', request.jsonSchema !== undefined && this.options.guidedJson);
    return used;
  }

  /** Which still-unproven feature to leave out after a rejection, if any. */
  private featureToDrop(
    error: ModelCallError,
    used: ReadonlySet<Feature>,
    dropped: ReadonlyMap<Feature, unknown>,
  ): { feature: Feature; named: boolean } | undefined {
    const rejection = error.kind === 'bad-request' || httpStatusOf(error) === 500;
    if (!rejection) return undefined;
    const candidates = [...used].filter((f) => this.state(f) === 'unknown' && !dropped.has(f));
    const named = candidates.find((f) => FEATURE_HINTS[f].test(error.message));
    if (named) return { feature: named, named: true };
    // A 500 that names nothing is a server failure, not a quirk; a 400 may be either.
    if (error.kind !== 'bad-request') return undefined;
    const guessed = BLIND_DROP_ORDER.find((f) => candidates.includes(f));
    return guessed ? { feature: guessed, named: false } : undefined;
  }
}
