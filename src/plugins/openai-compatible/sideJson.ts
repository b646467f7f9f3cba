// GETs beside the OpenAI API (llama.cpp's /props, vLLM's /version, /v1/models before the client
// exists): a plain fetch with a short timeout, since the openai client resolves every path under
// /v1. What a server does not have, or does not answer in time, is undefined, never an error;
// only the caller's abort is thrown.

const SIDE_TIMEOUT_MS = 3_000;

export async function getSideJson(url: string, apiKey: string, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(SIDE_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'error',
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return await response.json();
  } catch {
    signal?.throwIfAborted();
    return undefined;
  }
}
