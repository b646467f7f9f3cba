// The default retriever's model, fetched from a model hub on first use: against a local server in
// the hub's layout serving ../shared/models/tiny-random-bert, and the same server breaking a file
// the ways real connections and servers do. Whatever breaks, the run ranks with BM25, says why,
// and no folder is left that looks complete.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { createRetriever } from '../../src/main/runs/createRetriever.js';
import { type DownloadProgress, ensureHubModel, readyHubModel } from '../../src/main/store/modelStore.js';
import { FakeHubServer, type HubFault } from '../support/fakeHubServer.js';

const modelDir = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert');
const MODEL = 'sentence-transformers/all-mpnet-base-v2';
// Sizes from ../shared/models/README.md.
const SIZES = { 'config.json': 357, 'tokenizer_config.json': 254, 'tokenizer.json': 6741, 'onnx/model.onnx': 39714 };
const TOTAL = 357 + 254 + 6741 + 39714; // 47066
const examples = [
  { query: 'the model gave a worse answer', answer: 'a' },
  { query: 'it is raining in the city', answer: 'b' },
  { query: 'how do I bake bread', answer: 'c' },
];
// The run config's default retriever: the paper's model from the hub.
const embedder = normalizeConfig({ backends: { x: { plugin: 'llama-cpp' } } }, '/').retrieval.embedder;

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('hub models', () => {
  let hub: FakeHubServer;
  const closedHub = process.env.DRPO_STUDIO_HUB_URL;
  let userData: string;

  beforeAll(async () => {
    hub = await FakeHubServer.start(modelDir);
    process.env.DRPO_STUDIO_HUB_URL = hub.baseURL;
  });
  afterAll(async () => {
    process.env.DRPO_STUDIO_HUB_URL = closedHub;
    await hub.close();
  });
  afterEach(() => {
    hub.fault = undefined;
    hub.requests.length = 0;
    rmSync(userData, { recursive: true, force: true });
  });
  const freshUserData = () => {
    userData = mkdtempSync(path.join(tmpdir(), 'drpo-hub-'));
    return userData;
  };

  it('downloads the four files into models/<owner>/<name> with progress to 47066 bytes, then reuses them with no request', async () => {
    const dir = path.join(freshUserData(), 'models/sentence-transformers/all-mpnet-base-v2');
    // A temporary file of a download whose process is gone (pid 2^22 + 1 is above Linux's pid_max default).
    mkdirSync(path.join(dir, 'onnx'), { recursive: true });
    writeFileSync(path.join(dir, 'onnx/model.onnx.part-4194305-0badf00d'), 'half a file');
    const progress: DownloadProgress[] = [];
    const opened = await createRetriever(embedder, examples, new Map(), {
      userDataDir: userData,
      onDownload: (p) => progress.push(p),
    });
    expect(opened.retrieval).toEqual({ requested: `hub:${MODEL}`, used: `embeddings:hub:${MODEL}` });
    expect(opened.warning).toBeUndefined();
    // tiny-random-bert is a bag of words: "worse answer" shares the most words with "better answer".
    expect(await opened.retriever.topK('the model gave a better answer', 1)).toEqual([examples[0]]);
    await opened.dispose();

    expect(hub.requests.sort()).toEqual(
      Object.keys(SIZES)
        .map((f) => `/${MODEL}/resolve/main/${f}`)
        .sort(),
    );
    expect(filesUnder(dir)).toEqual(['.complete.json', ...Object.keys(SIZES)].sort());
    for (const [file, size] of Object.entries(SIZES)) {
      const last = progress.filter((p) => p.file === file).at(-1)!;
      expect(last).toMatchObject({ model: MODEL, fileBytes: size, fileTotal: size, total: TOTAL });
    }
    expect(Math.max(...progress.map((p) => p.bytes))).toBe(TOTAL);
    expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1]!.bytes)).toBe(true);
    expect(readyHubModel(userData, MODEL)).toBe(dir);

    hub.requests.length = 0;
    const again = await createRetriever(embedder, examples, new Map(), { userDataDir: userData });
    expect(again.retrieval.used).toBe(`embeddings:hub:${MODEL}`);
    await again.dispose();
    expect(hub.requests).toEqual([]);
  });

  const faults: [string, { file: string; kind: HubFault }, RegExp][] = [
    ['a connection cut mid-file', { file: 'onnx/model.onnx', kind: 'cut' }, /^onnx\/model\.onnx: .+ after \d+ bytes$/],
    [
      'a file shorter than announced',
      { file: 'onnx/model.onnx', kind: 'short' },
      // Node's fetch may raise the length mismatch before the reader has taken the half that was sent (seen
      // under load: "after 0 bytes"), so the count is the client's, not the server's 19857.
      /^onnx\/model\.onnx: (cut short, 19857 of 39714 bytes|Response body length does not match content-length header after \d+ bytes)$/,
    ],
    ['a 404', { file: 'tokenizer.json', kind: 'missing' }, /^tokenizer\.json: the server answered 404 Not Found$/],
    [
      'an HTML page',
      { file: 'config.json', kind: 'html' },
      /^config\.json: the server sent an HTML page, not the file$/,
    ],
    [
      'an HTML page labelled binary',
      { file: 'onnx/model.onnx', kind: 'html-as-binary' },
      /^onnx\/model\.onnx: the server sent an HTML page, not the file$/,
    ],
    ['a file of garbage', { file: 'onnx/model.onnx', kind: 'garbage' }, /^Could not load the embedding model in /],
    [
      'a file over the size cap',
      { file: 'onnx/model.onnx', kind: 'huge' },
      /^onnx\/model\.onnx: 3221225472 bytes is over the 2147483648 limit$/,
    ],
  ];
  it.each(faults)('%s: BM25 ranks, the reason is recorded, no folder looks complete', async (_name, fault, reason) => {
    freshUserData();
    hub.fault = fault;
    const opened = await createRetriever(embedder, examples, new Map(), { userDataDir: userData });
    expect(opened.retrieval).toMatchObject({ requested: `hub:${MODEL}`, used: 'bm25' });
    expect(opened.retrieval.reason).toMatch(reason);
    expect(opened.warning).toBe(
      `retrieval: all-mpnet-base-v2 unavailable (${opened.retrieval.reason}) — BM25 ranks the examples instead`,
    );
    // BM25: "bake" and "bread" are shared with the third example only, then file order.
    expect((await opened.retriever.topK('bake some bread', 2)).map((e) => e.answer)).toEqual(['c', 'a']);
    expect(readyHubModel(userData, MODEL)).toBeUndefined();
    const left = filesUnder(path.join(userData, 'models'));
    expect(left.filter((f) => f.endsWith('.complete.json') || /\.part-/.test(f))).toEqual([]);

    // Once the server serves the file, the next use downloads it and the model serves.
    hub.fault = undefined;
    const healed = await createRetriever(embedder, examples, new Map(), { userDataDir: userData });
    expect(healed.retrieval.used).toBe(`embeddings:hub:${MODEL}`);
    await healed.dispose();
  });

  it("with no hub to reach (the tests' closed port), falls back at once", async () => {
    freshUserData();
    process.env.DRPO_STUDIO_HUB_URL = closedHub;
    try {
      const started = Date.now();
      const opened = await createRetriever(embedder, examples, new Map(), { userDataDir: userData });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(opened.retrieval.reason).toMatch(/^[\w./]+: connection refused$/);
    } finally {
      process.env.DRPO_STUDIO_HUB_URL = hub.baseURL;
    }
  });

  it('refuses a model id that would leave the models folder', async () => {
    await expect(ensureHubModel({ userDataDir: freshUserData(), model: '../secrets' })).rejects.toThrow(
      'not a hub model id (owner/name): "../secrets"',
    );
    expect(hub.requests).toEqual([]);
  });
});
