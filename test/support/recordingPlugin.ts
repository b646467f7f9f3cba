// A user plugin for tests that must see what reached the model: the scripted test model behind a
// manifest whose capabilities the test chooses, every request kept in
// globalThis.recordedRequests[id]. With the setting `generationReply`, a raw-completion request
// is answered with that text, cut at the request's first stop string as a server would.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Capabilities, GenerateRequest } from '../../src/plugins/contract.js';

const scripted = path.resolve(import.meta.dirname, 'plugins/scripted');

type Recorded = Record<string, GenerateRequest[]>;

/** The requests the plugin `id` received in this process. */
export function recordedRequests(id: string): GenerateRequest[] {
  const host = globalThis as { recordedRequests?: Recorded };
  host.recordedRequests ??= {};
  host.recordedRequests[id] ??= [];
  return host.recordedRequests[id];
}

/** Installs the plugin `id` in `userData`'s plugins folder (enable it in the settings too). */
export function addRecordingPlugin(userData: string, id: string, capabilities: Partial<Capabilities> = {}): void {
  recordedRequests(id).length = 0;
  const dir = path.join(userData, 'plugins', id);
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(scripted, 'manifest.json'), 'utf8'));
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      ...manifest,
      id,
      capabilities: { ...manifest.capabilities, ...capabilities },
      settings: [...manifest.settings, { key: 'generationReply', title: 'Raw completion reply', type: 'string' }],
    }),
  );
  writeFileSync(
    path.join(dir, 'index.ts'),
    `import scripted from ${JSON.stringify(path.join(scripted, 'index.ts'))};
const capabilities = ${JSON.stringify(capabilities)};
export default {
  async create(settings, context) {
    const client = await scripted.create(settings, context);
    const seen = (globalThis.recordedRequests ??= {})[${JSON.stringify(id)}] ??= [];
    return {
      capabilities: { ...client.capabilities, ...capabilities },
      async generate(request, signal) {
        seen.push(request);
        const reply = settings.generationReply;
        if (request.input.kind !== 'text' || typeof reply !== 'string') return client.generate(request, signal);
        const cut = Math.min(...(request.stop ?? []).map((s) => reply.indexOf(s)).filter((i) => i >= 0), reply.length);
        return { texts: [reply.slice(0, cut)], usage: { promptTokens: 1, completionTokens: 1 } };
      },
      dispose: () => client.dispose(),
    };
  },
};
`,
  );
}
