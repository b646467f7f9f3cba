// A fetch for the openai client that rewrites error bodies into OpenAI's `{error: {message}}`
// shape: older vLLM writes `{object: 'error', message}`, FastAPI validation `{detail: …}`,
// others `{error: 'text'}`; the openai client would keep none of those words. An event stream
// gets its in-stream error lines made visible to the client (sseErrors.ts).

import { withStreamErrors } from './sseErrors.js';

export const normalizingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await fetch(input, init);
  if (response.ok) {
    if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
    const { status, statusText, headers } = response;
    return new Response(withStreamErrors(response.body), { status, statusText, headers });
  }
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(openAIErrorBody(text), { status: response.status, statusText: response.statusText, headers });
};

function openAIErrorBody(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text; // not JSON: the client keeps plain text as the message
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return text;
  const { error, message, type, param, detail } = parsed as Record<string, unknown>;
  if (typeof error === 'string') return JSON.stringify({ error: { message: error } });
  if (error !== undefined) return text;
  if (typeof message === 'string')
    return JSON.stringify({ error: { message, type: type ?? null, param: param ?? null, code: null } });
  if (detail !== undefined)
    return JSON.stringify({ error: { message: typeof detail === 'string' ? detail : JSON.stringify(detail) } });
  return text;
}
