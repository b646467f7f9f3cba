// A prompt that does not fit the server's context can never succeed as sent: it is a final
// 'bad-request' (not a server failure to retry), and its message says how to make it fit.

// llama.cpp ("input prompt is too big compared to KV size", newer: "the request exceeds the
// available context size"), vLLM ("This model's maximum context length is …"), OpenAI's code.
const CONTEXT_FULL =
  /too big compared to KV size|exceeds the available context size|maximum context length|context_length_exceeded/i;

export const CONTEXT_FULL_FIX =
  "the server's context per slot is full: give it a larger context (llama-server -c), fewer slots (--parallel), or shorten the prompt (fewer ICL examples, lower maxTokens)";

export function isContextFull(text: string): boolean {
  return CONTEXT_FULL.test(text);
}
