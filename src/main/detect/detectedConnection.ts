// What saving a detected server would save: the built-in plugin that speaks its protocol, with
// its address and first model, and a name that no saved connection (nor another suggestion) has.
import type { ConnectionDto, DetectedServerKind } from '../../shared/studioApi.js';

/** Ollama's own plugin, vLLM's own plugin; LM Studio and llama.cpp's server speak OpenAI's API. */
export function connectionFor(kind: DetectedServerKind, address: string, model: string): ConnectionDto {
  if (kind === 'ollama') return { plugin: 'ollama', settings: { host: address, model } };
  if (kind === 'vllm') return { plugin: 'vllm', settings: { endpoints: [`${address}/v1`], model } };
  return { plugin: 'openai', settings: { baseURL: `${address}/v1`, model } };
}

/** Longest suggested name, before a "-2" that tells it from a taken one. */
const MAX_NAME = 48;

/** "<kind>-<model's last path segment>" in connection-name characters, "-2", "-3"… when taken (`taken` grows). */
export function suggestName(kind: DetectedServerKind, model: string, taken: Set<string>): string {
  const base = `${kind}-${model.slice(model.lastIndexOf('/') + 1)}`
    .replace(/[^\w.-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, MAX_NAME)
    .replace(/^[-.]+|[-.]+$/g, '');
  let name = base || kind;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}
