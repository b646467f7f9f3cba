// What `models pull` accepts: `hf:owner/repo/path/file.gguf` (the model hub, in huggingface.co's
// layout `<hub>/<owner>/<repo>/resolve/main/<path>`) or an http(s) URL of a .gguf file. The local
// file name comes from the last path segment, sanitised, so that no source can name a file
// outside the models folder or one that is not a .gguf.
import { hubBaseUrl } from '../store/hubDownload.js';

export interface ModelSource {
  /** What is fetched. */
  url: string;
  /** The name it is kept under in `<user data>/models/gguf/`. */
  fileName: string;
  /** How messages name it: `owner/repo/file.gguf`, or the URL without its query (which may hold a token). */
  label: string;
  /** Set for `hf:` sources: a 404 then means the hub has no such repository or file. */
  fromHub: boolean;
}

const SEGMENT = /^[\w.-]+$/;
/** `model-00001-of-00003.gguf`: one part of a split model (llama.cpp loads it from all its parts). */
const SPLIT_PART = /-\d{5}-of-\d{5}\.gguf$/i;
const MAX_NAME = 200;

/** Parses a source; `env` decides the hub ($DRPO_STUDIO_HUB_URL), never the source itself. */
export function parseModelSource(source: string, env: NodeJS.ProcessEnv = process.env): ModelSource {
  const text = source.trim();
  if (text.startsWith('hf:')) {
    const parts = text.slice(3).split('/');
    if (parts.length < 3 || parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..'))
      throw new Error(
        `not a hub file: ${JSON.stringify(source)} (expected hf:owner/repo/file.gguf, e.g. hf:bartowski/SmolLM2-1.7B-Instruct-GGUF/SmolLM2-1.7B-Instruct-Q4_K_M.gguf)`,
      );
    const [owner, repo, ...file] = parts as [string, string, ...string[]];
    const label = `${owner}/${repo}/${file.join('/')}`;
    return {
      url: `${hubBaseUrl(env)}/${owner}/${repo}/resolve/main/${file.join('/')}`,
      fileName: ggufName(file.at(-1)!, label),
      label,
      fromHub: true,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `not a model source: ${JSON.stringify(source)} (expected hf:owner/repo/file.gguf or an http(s) URL)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`only http(s) URLs and hf: sources can be downloaded, not ${url.protocol}`);
  const label = `${url.origin}${url.pathname}`;
  let last: string;
  try {
    last = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  } catch {
    throw new Error(`${label}: the file name is not valid URL encoding`);
  }
  return { url: url.href, fileName: ggufName(last, label), label, fromHub: false };
}

/** The local name: characters other than letters, digits, `.`, `_`, `+` and `-` become `-`; must end `.gguf`. */
function ggufName(raw: string, label: string): string {
  const name = raw.replace(/[^\w.+-]/g, '-');
  if (!/\.gguf$/i.test(name)) throw new Error(`${label}: not a .gguf file (the name must end in .gguf)`);
  if (name.startsWith('.') || name.length > MAX_NAME)
    throw new Error(`${label}: unusable file name ${JSON.stringify(raw)}`);
  if (SPLIT_PART.test(name))
    throw new Error(`${label}: one part of a split model; pick a single-file quantisation of it instead`);
  return name;
}
