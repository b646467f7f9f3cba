// Request building: which API a request goes to (chat or raw completions, a chat rendered as a
// transcript for a base model) and the body sent, with exactly the optional features in use.

import type { ChatMessage, GenerateRequest, JsonConstraint, ModelInput } from '../contract.js';
import type { Feature } from './features.js';
import { jsonFields } from './jsonConstraints.js';
import type { CompatibleClientOptions } from './options.js';

/** How one request reaches the server. */
export interface Route {
  api: 'chat' | 'completion';
  messages?: ChatMessage[];
  prompt?: string;
  /** Stop strings the rendering adds (the transcript's next user turn). */
  extraStops: string[];
  promptChars: number;
}

export function routeFor(input: ModelInput, options: Pick<CompatibleClientOptions, 'mode' | 'textInChatMode'>): Route {
  const { mode, textInChatMode } = options;
  if (input.kind === 'text') {
    if (mode === 'chat' && textInChatMode === 'user-message')
      return {
        api: 'chat',
        messages: [{ role: 'user', content: input.text }],
        extraStops: [],
        promptChars: input.text.length,
      };
    return { api: 'completion', prompt: input.text, extraStops: [], promptChars: input.text.length };
  }
  const promptChars = input.messages.reduce((s, m) => s + m.content.length, 0);
  if (mode === 'chat') return { api: 'chat', messages: input.messages, extraStops: [], promptChars };
  // A base model has no chat template: render the chat as a plain transcript and stop where
  // the model would start writing the user's next turn.
  const prompt = `${input.messages.map(transcriptTurn).join('')}Assistant:`;
  return { api: 'completion', prompt, extraStops: ['\nUser:'], promptChars: prompt.length };
}

function transcriptTurn(message: ChatMessage): string {
  if (message.role === 'system') return `${message.content}\n\n`;
  return `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content}\n\n`;
}

/** Every stop string the reply is cut at: the request's and the route's. */
export function stopsFor(request: GenerateRequest, route: Route): string[] {
  return [...new Set([...(request.stop ?? []), ...route.extraStops])].filter((s) => s.length > 0);
}

/** The streamed request's body for `n` choices, the schema asked for through `json`'s fields. */
export function requestBody(
  request: GenerateRequest,
  route: Route,
  used: ReadonlySet<Feature>,
  sampling: { n: number; seed: number | undefined; stops: string[]; json: readonly JsonConstraint[] },
  options: Pick<CompatibleClientOptions, 'model' | 'maxStopStrings'>,
): Record<string, unknown> {
  const { n, seed, stops, json } = sampling;
  return {
    model: options.model,
    ...(route.api === 'chat' ? { messages: route.messages } : { prompt: route.prompt }),
    stream: true,
    ...(used.has('streamUsage') ? { stream_options: { include_usage: true } } : {}),
    [used.has('maxTokens') ? 'max_tokens' : 'max_completion_tokens']: request.maxTokens,
    temperature: request.temperature,
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(stops.length > 0 ? { stop: stops.slice(0, options.maxStopStrings) } : {}),
    ...(n > 1 ? { n } : {}),
    ...jsonFields(json, request.jsonSchema),
  };
}
