// Upper bounds on what a run, experiment or API request may ask for, so that no request can make
// the studio loop, allocate or call a model without end. Each is far above real use (the paper:
// W=2, M=3, D=20, depth grown by at most 10, K=2, six aspects), with the reason beside it. No zod
// and no Node here: the renderer may show them.
export const LIMITS = {
  /** Beam width W: every level expands up to W states (paper 2; 8 is already a wide beam). */
  width: 32,
  /** Samples M per state: each is an optimizer call and an evaluation (paper 3; 10 is many). */
  samples: 32,
  /** Depth D: one seed query a level (paper 20; 200 is a long search). */
  depth: 1000,
  /** Levels carry-overs may add to D (paper 10): as many again as the deepest search. */
  maxDepthIncrease: 1000,
  /** Monte Carlo one-step samples N: at most the largest beam search's budget W·M·D. */
  monteCarloSamples: 32 * 32 * 1000,
  /** Prompt versions shown to the optimizer (paper 5); each goes into its prompt, so context bounds it. */
  historySize: 100,
  /** ICL examples retrieved per query (paper 2); each goes into the base model's prompt. */
  retrievalK: 64,
  /** Aspects in a catalog, and so the most the selector may pick (paper: 2 to 5 of about 30). */
  aspects: 1000,
  /** A completion's tokens: above the longest output any model offers today. */
  maxTokens: 1_048_576,
  /** Backend seeds (llama.cpp's are 32-bit, -1 meaning random) and shuffle seeds. */
  seedMin: -2_147_483_648,
  seedMax: 4_294_967_295,
  /** Seed queries a run uses (the paper's mix is about 1,300; Alpaca has 52k). */
  dataItems: 1_000_000,
  /** Seed query files one run concatenates. */
  dataFiles: 100,
  /** Extra addresses one `connections.detect` probes: each is a few requests, and a user types them. */
  detectAddresses: 32,
  /** Backends one config names (four roles, a judge and an embedder need six). */
  backends: 64,
  /** Requests in flight per backend: beyond any local server's slots or a cloud's rate limit. */
  concurrency: 256,
  /** Rate limit per backend, requests a minute. */
  requestsPerMinute: 100_000,
  /** Retries of one failed call (with backoff at the longest delay below, 20 is ten minutes). */
  maxRetries: 20,
  /** Backoff delays in milliseconds: the first, and the longest (ten minutes). */
  retryBaseDelayMs: 60_000,
  retryMaxDelayMs: 600_000,
  /** Setups and targets of one experiment: each pair is a full pass over the evaluation set. */
  setups: 100,
  targets: 100,
  /** Evaluation items selected, sampled or named by id (just-eval has 1,000; Alpaca 52k). */
  evalItems: 1_000_000,
  /** Categories named in an evaluation set's selection. */
  categories: 1000,
  /** Characters of the reason a constrained judge writes per aspect (default 300). */
  reasonMaxChars: 10_000,
  /** Items of one dataset saved through the API. */
  datasetItems: 1_000_000,
  /** Characters of an imported data file's content (64 MiB; HTTP bodies stop at 5 MB anyway). */
  importChars: 64 * 1024 * 1024,
  /** Characters of an aspect catalog file to import (the shipped one is about 5 kB; a thousand aspects with long rubrics fit). */
  catalogBytes: 4 * 1024 * 1024,
  /** Bytes of a published search trace (the paper's are about 110 kB). */
  traceBytes: 16 * 1024 * 1024,
  /** Characters of a run's or an experiment's name and notes (housekeeping, issue 16 item 4). */
  itemName: 200,
  itemNotes: 20_000,
} as const;
