// What `models pull` accepts as a source (src/main/models/modelSource.ts), and the catalog it offers.
import { describe, expect, it } from 'vitest';
import { readModelCatalog } from '../../src/main/models/modelCatalog.js';
import { parseModelSource } from '../../src/main/models/modelSource.js';

const env = { DRPO_STUDIO_HUB_URL: 'http://127.0.0.1:9/hub/' };

describe('parseModelSource', () => {
  it('turns hf:owner/repo/file.gguf into the hub URL of the environment, else huggingface.co', () => {
    expect(parseModelSource('hf:bartowski/SmolLM2-1.7B-Instruct-GGUF/SmolLM2-1.7B-Instruct-Q4_K_M.gguf', {})).toEqual({
      url: 'https://huggingface.co/bartowski/SmolLM2-1.7B-Instruct-GGUF/resolve/main/SmolLM2-1.7B-Instruct-Q4_K_M.gguf',
      fileName: 'SmolLM2-1.7B-Instruct-Q4_K_M.gguf',
      label: 'bartowski/SmolLM2-1.7B-Instruct-GGUF/SmolLM2-1.7B-Instruct-Q4_K_M.gguf',
      fromHub: true,
    });
    // A file in a folder of the repository keeps its path in the URL; the local name is its last part.
    expect(parseModelSource('hf:ggml-org/models/tinyllamas/stories260K.gguf', env)).toMatchObject({
      url: 'http://127.0.0.1:9/hub/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf',
      fileName: 'stories260K.gguf',
    });
  });

  it('takes an http(s) URL, names the file after its last path segment, and keeps the query out of messages', () => {
    expect(parseModelSource('https://example.org/files/my%20model.Q4_K_M.gguf?token=secret', env)).toEqual({
      url: 'https://example.org/files/my%20model.Q4_K_M.gguf?token=secret',
      fileName: 'my-model.Q4_K_M.gguf',
      label: 'https://example.org/files/my%20model.Q4_K_M.gguf',
      fromHub: false,
    });
  });

  it('refuses other schemes, malformed hub sources and names that are not a .gguf of this folder', () => {
    const refusals: [string, string | RegExp][] = [
      ['file:///etc/passwd', 'only http(s) URLs and hf: sources can be downloaded, not file:'],
      ['ftp://example.org/m.gguf', 'not ftp:'],
      ['hf:owner/repo', /^not a hub file: "hf:owner\/repo"/],
      ['hf:owner/../etc/x.gguf', /^not a hub file/],
      ['hf:owner/repo/sub/../x.gguf', /^not a hub file/],
      [
        'hf:owner/repo/model.safetensors',
        'owner/repo/model.safetensors: not a .gguf file (the name must end in .gguf)',
      ],
      ['https://example.org/a/..%2F..%2Fsettings.json', 'not a .gguf file'],
      ['https://example.org/a/%2E%2E%2Fx.gguf', 'unusable file name "../x.gguf"'],
      ['https://example.org/.gguf', 'unusable file name ".gguf"'],
      ['hf:o/r/Model-Q4_K_M-00001-of-00003.gguf', 'one part of a split model'],
      ['stories260K.gguf', /^not a model source/],
    ];
    for (const [source, message] of refusals) expect(() => parseModelSource(source, env), source).toThrow(message);
  });
});

describe('the model catalog', () => {
  it('lists 4 to 6 small instruct models, each a hub GGUF with a size, a licence and a note', () => {
    const catalog = readModelCatalog();
    expect(catalog.length).toBeGreaterThanOrEqual(4);
    expect(catalog.length).toBeLessThanOrEqual(6);
    for (const m of catalog) {
      expect(parseModelSource(m.source, env).fileName, m.id).toMatch(/Q4_K_M\.gguf$/);
      // Small enough for a laptop: under 3 GB.
      expect(m.sizeBytes, m.id).toBeLessThan(3e9);
      expect(m.licenceUrl, m.id).toMatch(/^https:\/\//);
    }
    expect(new Set(catalog.map((m) => m.id)).size).toBe(catalog.length);
  });
});
