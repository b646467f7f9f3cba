// Example user plugin for DRPO Studio: llama.cpp's llama-server, every role. Chat goes to its
// /v1/chat/completions (the model's chat template), raw text to /v1/completions; replies stream.
// A JSON schema goes through the fields llama-server follows: `response_format: {type:
// 'json_object', schema}` on chat, a top-level `json_schema` on completions (it answers
// response_format's json_schema type with a 200 and ignores it).
// A plugin is this folder: manifest.json + an ES module whose default export has create().
// It imports nothing from the studio (a user plugin gets no module path to it); it only has to
// honor the contract (src/plugins/contract.ts). The built-in plugins share src/plugins/kit/ for
// what this file does by hand: settings, request checks, dispose, Retry-After.

class ModelCallError extends Error {
  // The host retries 'connection', 'timeout', 'rate-limit' and 'server'; the rest are final.
  constructor(kind, message, retryAfterMs) {
    super(message);
    this.name = 'ModelCallError';
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }
  get retriable() {
    return ['connection', 'timeout', 'rate-limit', 'server'].includes(this.kind);
  }
}

// A prompt that does not fit a slot's context never succeeds as sent: final, with the fix.
const CONTEXT_FULL = /too big compared to KV size|exceeds the available context size/i;
const CONTEXT_FIX =
  "the server's context per slot is full: give it a larger context (llama-server -c), fewer slots (--parallel), or shorten the prompt (fewer ICL examples, lower maxTokens)";

// Retry-After in seconds; its HTTP-date form (which llama-server does not send) is left to the
// host's backoff. src/plugins/kit/retryAfter.ts reads both.
function retryAfterMs(value) {
  return /^\d+$/.test(value?.trim() ?? '') ? Number(value) * 1000 : undefined;
}

/** The server's own words from an error body or event (`{error: {message}}`, or plain text). */
function serverWords(text) {
  try {
    const parsed = JSON.parse(text);
    const error = parsed?.error ?? parsed;
    return typeof error === 'string' ? error : (error?.message ?? text);
  } catch {
    return text.slice(0, 200);
  }
}

function errorFor(status, body, retryAfter) {
  const said = serverWords(body);
  if (status === 401 || status === 403)
    return new ModelCallError('auth', `llama-server refused the API key (${status})`);
  if (status === 429) return new ModelCallError('rate-limit', 'llama-server is busy (429)', retryAfterMs(retryAfter));
  if (CONTEXT_FULL.test(said))
    return new ModelCallError('bad-request', `llama-server: the server says: ${said}; ${CONTEXT_FIX}`);
  if (status >= 500) return new ModelCallError('server', `llama-server failed (${status}): the server says: ${said}`);
  return new ModelCallError('bad-request', `llama-server rejected the request (${status}): the server says: ${said}`);
}

/** An error llama-server wrote inside a 200 stream (an `error:` line, or a `data: {"error": …}` event). */
function streamError(payload) {
  const said = serverWords(payload);
  if (CONTEXT_FULL.test(said))
    return new ModelCallError('bad-request', `llama-server: the server says: ${said}; ${CONTEXT_FIX}`);
  return new ModelCallError('server', `llama-server reported an error in the reply stream: the server says: ${said}`);
}

/** The body of one streamed request: chat or raw text, the schema through the field llama-server follows. */
function bodyFor(request) {
  const chat = request.input.kind === 'chat';
  const schema = request.jsonSchema;
  return {
    ...(chat ? { messages: request.input.messages } : { prompt: request.input.text }),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    seed: request.seed,
    stop: request.stop,
    ...(schema && chat ? { response_format: { type: 'json_object', schema } } : {}),
    ...(schema && !chat ? { json_schema: schema } : {}),
  };
}

/** Reads the event stream: text pieces (to onText too), usage, and the server's in-stream errors. */
async function readStream(response, chat, onText) {
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let usage;
  let finished = false;
  const line = (raw) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('error:')) throw streamError(trimmed.slice(6).trim());
    if (!trimmed.startsWith('data:')) return;
    const data = trimmed.slice(5).trim();
    if (data === '[DONE]') return;
    const event = JSON.parse(data);
    if (event.error) throw streamError(JSON.stringify(event));
    if (event.usage) usage = event.usage;
    for (const choice of event.choices ?? []) {
      const piece = chat ? choice.delta?.content : choice.text;
      if (piece) {
        text += piece;
        onText?.(piece);
      }
      if (choice.finish_reason) finished = true;
    }
  };
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const raw of lines) line(raw);
  }
  line(buffer);
  if (!finished)
    throw new ModelCallError('connection', 'llama-server: the reply stream ended before the reply was finished');
  return { text, usage };
}

/** No reply carries a stop string (the contract's rule), whatever the server did with them. */
function cutAtStop(text, stops = []) {
  let end = text.length;
  for (const stop of stops) {
    const i = stop ? text.indexOf(stop) : -1;
    if (i >= 0 && i < end) end = i;
  }
  return text.slice(0, end);
}

export default {
  async create(settings) {
    const url = String(settings.url).replace(/\/$/, '');
    const headers = {
      'content-type': 'application/json',
      ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
    };
    const inFlight = new Set();
    return {
      capabilities: {
        chat: true,
        completion: true,
        multipleSamples: false,
        jsonSchema: true,
        seed: true,
        embeddings: false,
        listModels: false,
      },
      maxParallel: settings.slots,
      async generate(request, signal) {
        if (request.n !== 1)
          throw new ModelCallError('bad-request', 'llama-server plugin: one sample per request (n = 1)');
        const chat = request.input.kind === 'chat';
        const controller = new AbortController();
        inFlight.add(controller);
        signal?.addEventListener('abort', () => controller.abort(), { once: true });
        try {
          const response = await fetch(`${url}/v1/${chat ? 'chat/completions' : 'completions'}`, {
            method: 'POST',
            headers,
            signal: controller.signal,
            body: JSON.stringify(bodyFor(request)),
          });
          if (!response.ok) throw errorFor(response.status, await response.text(), response.headers.get('retry-after'));
          const { text, usage } = await readStream(response, chat, request.onText);
          return {
            texts: [cutAtStop(text, request.stop)],
            usage: {
              promptTokens: usage?.prompt_tokens ?? 0,
              completionTokens: usage?.completion_tokens ?? Math.ceil(text.length / 4),
            },
          };
        } catch (error) {
          if (error instanceof ModelCallError) throw error;
          if (controller.signal.aborted) throw new ModelCallError('aborted', 'llama-server request aborted');
          throw new ModelCallError(
            'connection',
            `cannot reach llama-server at ${url}: ${error.cause?.code ?? error.message}`,
          );
        } finally {
          inFlight.delete(controller);
        }
      },
      // Everything the plugin opened is released here.
      async dispose() {
        for (const controller of inFlight) controller.abort();
      },
    };
  },
};
