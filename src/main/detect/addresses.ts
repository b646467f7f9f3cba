// Where detect looks: the usual local addresses of each server, the user's saved extra ones and
// those of the request, each once.

/** Each server's default address (its documented default port on this machine). */
export const DEFAULT_ADDRESSES: readonly string[] = [
  'http://127.0.0.1:11434', // Ollama
  'http://127.0.0.1:1234', // LM Studio
  'http://127.0.0.1:8080', // llama.cpp's llama-server
  'http://127.0.0.1:8000', // vLLM
];

/**
 * An address as detect probes it: an http(s) origin plus any path prefix (a proxy's), without a
 * trailing slash or "/v1" (the OpenAI API root is added where needed); undefined when it is not one.
 */
export function normalizeAddress(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${prefix}`;
}

/** Defaults, then saved, then requested addresses, normalized, each once; and those that are no address detect can probe. */
export function addressesToProbe(...lists: readonly (readonly string[])[]): {
  addresses: string[];
  unusable: string[];
} {
  const seen = new Set<string>();
  const unusable: string[] = [];
  for (const raw of lists.flat()) {
    const address = normalizeAddress(raw);
    if (address) seen.add(address);
    else unusable.push(withoutCredentials(raw));
  }
  return { addresses: [...seen], unusable };
}

/** An address to show: a password in it is never repeated. */
function withoutCredentials(raw: string): string {
  if (!URL.canParse(raw)) return raw.slice(0, 200);
  const url = new URL(raw);
  if (!url.username && !url.password) return raw;
  url.username = '';
  url.password = '';
  return url.href;
}
