// How the beam tree holds up at a thousand nodes, in the built studio served by
// `drpo-studio serve`, in Chromium (npm run bench:ui; see bench/playwright.bench.config.ts).
//
// 1. Render: a finished run of exactly 1,000 nodes over 11 levels (W = 10, M = 11), written
//    through the run store (bench/support/syntheticRun.ts), opened from the runs list, three
//    times. Measured from the click to the first card, and to the last change inside the tree
//    (events replayed, the layout worker's positions applied, the visible cards mounted, the
//    viewport placed, and the frame after it drawn; nothing moves for QUIET_MS after it). React Flow renders only the cards in
//    view, so then the tree's own "fit view": how long until the cards in view at the minimum
//    zoom are mounted, at 1920×1080 and at 3840×2160 (the only size where all 1,000 fit).
// 2. Live updates: the server streams only the events of runs it runs itself, so a real run it
//    runs: a 1,112-node search (W = 10, M = 11, D = 12) whose model is a user plugin answering
//    every meta-prompt after a few milliseconds (bench/support/fast-plugin), at two paces. The
//    page is subscribed from the start; the 100 updates are nodes #1,001–#1,100 (each a new
//    node: a new layout and new cards, the most expensive kind of update), with all the other
//    events the server emitted meanwhile. Measured: how long the server took to emit them (the
//    log's timestamps), when the page showed all 100 (its Nodes counter, rendered with the
//    tree), the main thread's busy time (Chrome's TaskDuration, sampled over CDP), long tasks,
//    and dropped frames (requestAnimationFrame gaps over one 60 Hz frame). Also the page's lag
//    behind the server over the whole run, from its Calls counter.
//
// Writes bench/results/ui-tree.json (BENCH_PROFILE=1: also a CPU profile of each live run) and
// prints a table. The server, the layout worker and the page share this machine's cores: on a
// small machine the figures include that contention.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { type LoggedEvent, readRunLog } from '../src/main/store/runLog.js';
import { SettingsStore } from '../src/main/store/settingsStore.js';
import { expect, repoRoot, type StudioServer, test } from '../test/e2e/support/studioServer.js';
import { type BenchResult, type Figure, writeBenchResult } from './support/benchResults.js';
import { writeSyntheticRun } from './support/syntheticRun.js';

const RESULTS_FILE = path.join(repoRoot, 'bench/results/ui-tree.json');
const VIEWPORT = { width: 1920, height: 1080 };
/** Nothing in the tree changed for this long: the render is done. */
const QUIET_MS = 1500;
const RENDER_REPEATS = 3;
const FRAME_MS = 1000 / 60;
/** The live run's search (1 + 11 + 10 × 110 = 1,112 nodes) and the updates measured: nodes #1,001–#1,100. */
const LIVE = { width: 10, samples: 11, depth: 12, concurrency: 4, from: 1000, updates: 100 };
/** Two paces of the fast model: a burst (events faster than frames) and a steadier stream. */
const PACES = { burst: { latencyMs: 10 }, paced: { latencyMs: 60 } } as const;

interface Probe {
  /** Every animation frame (epoch ms). */
  frames: number[];
  longTasks: { start: number; duration: number }[];
  /** Each batch of DOM changes inside the beam tree, with the tree's card count after it. */
  tree: { at: number; count: number }[];
  /** After a frame that followed changes in the tree: its style, layout and paint done (rAF, then a task). */
  painted: number[];
  /** The run view's Nodes and Calls counters, whenever they change. */
  nodes: { at: number; value: number }[];
  calls: { at: number; value: number }[];
}

declare global {
  interface Window {
    __bench?: Probe;
  }
}

/** Installed before the studio's own scripts on every page load. Times are epoch ms (performance.timeOrigin-based). */
function installProbe(): void {
  const now = () => performance.timeOrigin + performance.now();
  const probe: Probe = { frames: [], longTasks: [], tree: [], painted: [], nodes: [], calls: [] };
  window.__bench = probe;
  const onFrame = (t: number) => {
    probe.frames.push(performance.timeOrigin + t);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        probe.longTasks.push({ start: performance.timeOrigin + entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task timing in this browser
  }
  const fact = (name: string): number | null => {
    for (const dt of Array.from(
      document.querySelectorAll('[data-testid="run-view"] .run-view__header .runs-facts dt'),
    )) {
      if (dt.textContent === name) return Number((dt.nextElementSibling?.textContent ?? '').replace(/[^\d]/g, ''));
    }
    return null;
  };
  let nodes: number | null = null;
  let calls: number | null = null;
  let paintProbe = false;
  const observer = new MutationObserver((records) => {
    const at = now();
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      if (target?.closest('[data-testid="beam-tree"]')) {
        probe.tree.push({
          at,
          count: document.querySelectorAll('[data-testid="beam-tree"] [data-testid^="tree-node-"]').length,
        });
        if (!paintProbe) {
          paintProbe = true;
          requestAnimationFrame(() => {
            paintProbe = false;
            setTimeout(() => probe.painted.push(now()), 0);
          });
        }
        break;
      }
    }
    const n = fact('Nodes');
    if (n !== null && n !== nodes) {
      nodes = n;
      probe.nodes.push({ at, value: n });
    }
    const c = fact('Calls');
    if (c !== null && c !== calls) {
      calls = c;
      probe.calls.push({ at, value: c });
    }
  });
  const observe = () =>
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  if (document.body) observe();
  else document.addEventListener('DOMContentLoaded', observe);
}

// ---- measuring helpers ----

interface CpuSample {
  at: number;
  /** Main-thread time spent in tasks, script, layout and style recalculation, cumulative ms. */
  task: number;
  script: number;
  layout: number;
  style: number;
}

async function cpu(cdp: CDPSession): Promise<CpuSample> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => 1000 * (metrics.find((m) => m.name === name)?.value ?? 0);
  return {
    at: Date.now(),
    task: get('TaskDuration'),
    script: get('ScriptDuration'),
    layout: get('LayoutDuration'),
    style: get('RecalcStyleDuration'),
  };
}

/** CPU samples every `everyMs` until stopped. */
function sampleCpu(cdp: CDPSession, everyMs = 100): { samples: CpuSample[]; stop: () => Promise<void> } {
  const samples: CpuSample[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      samples.push(await cpu(cdp));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      on = false;
      await loop;
    },
  };
}

/** A cumulative metric at time `at`, linearly between the samples around it. */
function cpuAt(samples: readonly CpuSample[], at: number, key: keyof Omit<CpuSample, 'at'>): number {
  if (samples.length === 0) return 0;
  if (at <= samples[0]!.at) return samples[0]![key];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (at <= b.at) return a[key] + ((b[key] - a[key]) * (at - a.at)) / Math.max(1, b.at - a.at);
  }
  return samples[samples.length - 1]![key];
}

function frameStats(frames: readonly number[], from: number, to: number) {
  const inside = frames.filter((t) => t >= from && t <= to);
  let dropped = 0;
  let maxGap = 0;
  for (let i = 1; i < inside.length; i++) {
    const gap = inside[i]! - inside[i - 1]!;
    maxGap = Math.max(maxGap, gap);
    dropped += Math.max(0, Math.round(gap / FRAME_MS) - 1);
  }
  return { frames: inside.length, dropped, maxGapMs: round(maxGap) };
}

function longTaskStats(tasks: Probe['longTasks'], from: number, to: number) {
  const inside = tasks.filter((t) => t.start + t.duration >= from && t.start <= to);
  return {
    count: inside.length,
    totalMs: round(inside.reduce((s, t) => s + t.duration, 0)),
    maxMs: round(Math.max(0, ...inside.map((t) => t.duration))),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;

/** BENCH_PROFILE=1: a CPU profile of the page's main thread (bench/profileSummary.mjs sums it up). */
async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

async function stopProfile(cdp: CDPSession, name: string): Promise<void> {
  const { profile } = await cdp.send('Profiler.stop');
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(path.join(path.dirname(RESULTS_FILE), `ui-tree-${name}.cpuprofile`), JSON.stringify(profile));
}

const probe = (page: Page) => page.evaluate(() => window.__bench!);

/** Clicks in the page itself, so the time taken is the click's own, not Playwright's round trip. */
async function clickAt(page: Page, selector: string): Promise<number> {
  return page.evaluate((s) => {
    const target = document.querySelector<HTMLElement>(s);
    if (!target) throw new Error(`nothing matches ${s}`);
    const at = performance.timeOrigin + performance.now();
    target.click();
    return at;
  }, selector);
}

/**
 * Waits until the tree changed after `since` and then stayed still for QUIET_MS, with `minCards`
 * cards and the Nodes counter at `nodes`. `painted`: when the frame after its last change was done.
 */
async function waitForStillTree(
  page: Page,
  since: number,
  want: { nodes: number; minCards: number },
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await page.evaluate(() => {
      const p = window.__bench!;
      return {
        now: performance.timeOrigin + performance.now(),
        last: p.tree.at(-1)?.at ?? 0,
        painted: p.painted.at(-1) ?? 0,
        cards: document.querySelectorAll('[data-testid="beam-tree"] [data-testid^="tree-node-"]').length,
        nodes: p.nodes.at(-1)?.value ?? 0,
      };
    });
    if (
      state.last > since &&
      state.painted >= state.last &&
      state.nodes >= want.nodes &&
      state.cards >= want.minCards &&
      state.now - state.last >= QUIET_MS
    )
      return state;
    if (Date.now() > deadline) throw new Error(`the tree did not settle: ${JSON.stringify(state)}`);
    await page.waitForTimeout(100);
  }
}

// ---- results ----

interface Details {
  browser: string;
  viewport: typeof VIEWPORT;
  /** Each test's raw figures, as it saved them. */
  sections: Record<string, Record<string, unknown> & { measuredAt: string }>;
}

interface RenderSection {
  medianMs: number;
  medianFirstCardMs: number;
  cardsInView: number;
  idleFps: number;
}
interface FitSection {
  ms: number;
  cards: number;
  zoom: number;
}
interface LiveSection {
  window: {
    serverEmitMs: number;
    pageShowedAllMs: number;
    pageLagAfterLastMs: number;
    mainThreadBusyMs: number;
    longTasks: { count: number; totalMs: number; maxMs: number };
    frames: { dropped: number; maxGapMs: number };
  };
  wholeRun: { lagP50Ms: number; lagP95Ms: number; lagMaxMs: number };
}

/** What was measured so far (a run of some of the tests keeps the other sections of the file). */
function readDetails(): Details | undefined {
  if (!existsSync(RESULTS_FILE)) return undefined;
  const old = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Partial<BenchResult>;
  return (old.details as Details | undefined)?.sections ? (old.details as Details) : undefined;
}

/**
 * Merges one benchmark's figures into bench/results/ui-tree.json (bench/support/benchResults.ts's
 * shape: the headline figures for `npm run bench`'s table, every section in `details`). Each test
 * writes its own section as soon as it has it (a failed test restarts Playwright's worker, which
 * would lose figures kept in memory); each section says when it was measured.
 */
function saveSection(browser: Browser, name: string, data: Record<string, unknown>): void {
  const browserName = `Chromium ${browser.version()} (headless)`;
  const details: Details = {
    browser: browserName,
    viewport: VIEWPORT,
    sections: { ...readDetails()?.sections, [name]: { measuredAt: new Date().toISOString(), ...data } },
  };
  writeBenchResult(
    'ui-tree',
    `UI: 1,000-node beam tree (${browserName}, ${VIEWPORT.width}×${VIEWPORT.height})`,
    headlineFigures(details.sections),
    details,
  );
}

/** The figures the README quotes, from whichever sections exist. */
function headlineFigures(s: Details['sections']): Figure[] {
  const figures: Figure[] = [];
  const render = s.render as RenderSection | undefined;
  if (render) {
    const how = `median of ${RENDER_REPEATS}; click in the runs list →`;
    figures.push({
      measure: 'open a 1,000-node run: first node card',
      value: render.medianFirstCardMs,
      unit: 'ms',
      note: `${how} first card in the tree`,
    });
    figures.push({
      measure: 'open a 1,000-node run: tree laid out and still',
      value: render.medianMs,
      unit: 'ms',
      note: `${how} last change in the tree painted (${render.cardsInView} cards in view)`,
    });
  }
  for (const [key, label] of [
    ['fit1080p', '1920×1080'],
    ['fit4k', '3840×2160'],
  ] as const) {
    const fit = s[key] as FitSection | undefined;
    if (fit)
      figures.push({
        measure: `fit view of 1,000 nodes at ${label}`,
        value: fit.ms,
        unit: 'ms',
        note: `${fit.cards} cards mounted (zoom ${fit.zoom})`,
      });
  }
  for (const [pace, label] of [
    ['burst', 'in a burst'],
    ['paced', 'at a steady pace'],
  ] as const) {
    const live = s[`live-${pace}`] as LiveSection | undefined;
    if (!live) continue;
    const w = live.window;
    figures.push({
      measure: `100 live node updates ${label}: on screen after the last`,
      value: w.pageLagAfterLastMs,
      unit: 'ms',
      note: `server emitted them in ${w.serverEmitMs} ms; ${w.frames.dropped} frames dropped`,
    });
    if (pace === 'paced') {
      for (const [p, value] of [
        ['p50', live.wholeRun.lagP50Ms],
        ['p95', live.wholeRun.lagP95Ms],
      ] as const) {
        figures.push({
          measure: `live updates at a steady pace: lag behind the server, ${p}`,
          value,
          unit: 'ms',
          note: 'Calls counter vs the run log, over the whole run',
        });
      }
    }
  }
  return figures;
}

test.afterAll(() => {
  const report = readDetails();
  if (!report) return;
  const s = report.sections;
  const rows: [string, string][] = [];
  const render = s.render as RenderSection | undefined;
  if (render) {
    rows.push(['render 1,000 nodes: click → first card', `${render.medianFirstCardMs} ms (median)`]);
    rows.push([
      'render 1,000 nodes: click → tree laid out and still',
      `${render.medianMs} ms (median; ${render.cardsInView} cards in view; idle ${render.idleFps} fps)`,
    ]);
  }
  for (const [key, label] of [
    ['fit1080p', 'fit view at 1920×1080'],
    ['fit4k', 'fit view at 3840×2160'],
  ] as const) {
    const fit = s[key] as FitSection | undefined;
    if (fit) rows.push([label, `${fit.ms} ms → ${fit.cards} of 1,000 cards mounted (zoom ${fit.zoom})`]);
  }
  for (const pace of Object.keys(PACES)) {
    const live = s[`live-${pace}`] as LiveSection | undefined;
    if (!live) continue;
    const w = live.window;
    rows.push([`100 live updates (${pace}): server emitted them in`, `${w.serverEmitMs} ms`]);
    rows.push([
      `100 live updates (${pace}): page showed all 100 after`,
      `${w.pageShowedAllMs} ms (${w.pageLagAfterLastMs} ms after the last)`,
    ]);
    rows.push([
      `100 live updates (${pace}): main thread`,
      `busy ${w.mainThreadBusyMs} ms; ${w.longTasks.count} long tasks (${w.longTasks.totalMs} ms, max ${w.longTasks.maxMs} ms)`,
    ]);
    rows.push([
      `100 live updates (${pace}): frames dropped`,
      `${w.frames.dropped} (longest gap ${w.frames.maxGapMs} ms)`,
    ]);
    rows.push([
      `live lag behind the server (${pace}), p50/p95/max`,
      `${live.wholeRun.lagP50Ms} / ${live.wholeRun.lagP95Ms} / ${live.wholeRun.lagMaxMs} ms`,
    ]);
  }
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  console.log(
    `\nUI tree benchmark — ${report.browser}, ${os.cpus().length} cores\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n(${path.relative(repoRoot, RESULTS_FILE)})\n`,
  );
});

// ---- the benchmarks ----

const zoomOf = (page: Page) =>
  page.evaluate(() => {
    const transform =
      document.querySelector<HTMLElement>('[data-testid="beam-tree"] .react-flow__viewport')?.style.transform ?? '';
    return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? NaN);
  });

/** Fit view from the tree's controls: how long until every card in view is mounted and still. */
async function measureFitView(page: Page, cdp: CDPSession) {
  await page.waitForTimeout(500);
  const before = await cpu(cdp);
  const clicked = await clickAt(page, '[data-testid="beam-tree"] .react-flow__controls-fitview');
  const still = await waitForStillTree(page, clicked, { nodes: 1000, minCards: 1 });
  const after = await cpu(cdp);
  const p = await probe(page);
  return {
    ms: round(still.painted - clicked),
    cards: still.cards,
    zoom: round((await zoomOf(page)) * 1000) / 1000,
    mainThreadBusyMs: round(after.task - before.task),
    longTasks: longTaskStats(p.longTasks, clicked, still.painted),
    frames: frameStats(p.frames, clicked, still.painted),
  };
}

test('render: a finished 1,000-node run opened from the list', async ({ page, browser, studioServer }) => {
  const run = writeSyntheticRun({ userDataDir: studioServer.userDataDir, nodes: 1000, width: 10, samples: 11 });
  expect((await studioServer.studio.runs.get(run.id)).nodeCount).toBe(1000);
  await page.addInitScript(installProbe);
  await page.setViewportSize(VIEWPORT);
  const cdp = await page.context().newCDPSession(page);

  const repeats = [];
  for (let i = 0; i < RENDER_REPEATS; i++) {
    const profiling = Boolean(process.env.BENCH_PROFILE) && i === RENDER_REPEATS - 1;
    // A fresh document each time (the same address with its #token would be a same-document navigation).
    await page.goto('about:blank');
    await page.goto(studioServer.url);
    await cdp.send('Performance.enable');
    await expect(page.getByTestId('run-row').filter({ hasText: run.id })).toBeVisible();
    await page.waitForTimeout(500);
    if (profiling) await startProfile(cdp);
    const before = await cpu(cdp);
    const clicked = await clickAt(page, `button[aria-label="Open run ${run.id}"]`);
    const still = await waitForStillTree(page, clicked, { nodes: 1000, minCards: 1 });
    const after = await cpu(cdp);
    if (profiling) await stopProfile(cdp, 'render');
    const p = await probe(page);
    const firstCard = p.tree.find((t) => t.at > clicked && t.count > 0)!;
    const streamed = p.nodes.find((n) => n.value >= 1000)!;
    repeats.push({
      ms: round(still.painted - clicked),
      firstCardMs: round(firstCard.at - clicked),
      allNodesCountedMs: round(streamed.at - clicked),
      cards: still.cards,
      // The CPU samples also cover the quiet period after the last change (the probe's frames only).
      mainThreadBusyMs: round(after.task - before.task),
      scriptMs: round(after.script - before.script),
      layoutStyleMs: round(after.layout - before.layout + after.style - before.style),
      longTasks: longTaskStats(p.longTasks, clicked, still.painted),
      frames: frameStats(p.frames, clicked, still.painted),
      // Calibration: the frame rate while nothing changes.
      idleFps: round(
        p.frames.filter((t) => t > still.painted && t <= still.now).length / ((still.now - still.painted) / 1000),
      ),
    });
  }
  saveSection(browser, 'render', {
    run: { nodes: 1000, levels: run.levels, width: 10, samples: 11, events: run.events },
    medianMs: median(repeats.map((r) => r.ms)),
    medianFirstCardMs: median(repeats.map((r) => r.firstCardMs)),
    cardsInView: repeats.at(-1)!.cards,
    idleFps: median(repeats.map((r) => r.idleFps)),
    repeats,
    note: 'click on the run in the list → the frame after the last DOM change in the tree is done (events replayed, worker layout applied, visible cards mounted, viewport placed); React Flow renders only the cards in view',
  });

  // Fit view: as many cards in view as the minimum zoom (0.05) allows, first at 1080p, then at 4K.
  saveSection(browser, 'fit1080p', {
    ...(await measureFitView(page, cdp)),
    note: 'the Controls fit-view button → cards in view mounted and still',
  });
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.waitForTimeout(QUIET_MS);
  saveSection(browser, 'fit4k', { ...(await measureFitView(page, cdp)), note: 'as fit1080p, in a 3840×2160 window' });
});

async function measureLive(
  page: Page,
  browser: Browser,
  server: StudioServer,
  pace: keyof typeof PACES,
): Promise<void> {
  const { latencyMs } = PACES[pace];
  // The fast model, as a user plugin of this server's user-data folder.
  mkdirSync(path.join(server.userDataDir, 'plugins'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'bench/support/fast-plugin'), path.join(server.userDataDir, 'plugins/bench-fast'));
  await (await SettingsStore.open(server.userDataDir)).update((s) => void s.enabledPlugins.push('bench-fast'));

  await page.addInitScript(installProbe);
  await page.setViewportSize(VIEWPORT);
  await page.goto(server.url);
  await expect(page.getByRole('heading', { level: 1, name: 'DRPO Studio' })).toBeVisible();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const sampler = sampleCpu(cdp);
  // BENCH_PROFILE=1: a CPU profile of the page over the live run (open it in Chrome's DevTools or speedscope).
  const profiling = Boolean(process.env.BENCH_PROFILE);
  if (profiling) await startProfile(cdp);

  const { id } = await server.studio.runs.start({
    stage: 'system-prompt',
    config: {
      backends: { fast: { plugin: 'bench-fast', settings: { latencyMs }, concurrency: LIVE.concurrency } },
      search: {
        width: LIVE.width,
        samples: LIVE.samples,
        depth: LIVE.depth,
        carryOverAbove: null,
        maxDepthIncrease: 0,
        callBudget: 'unlimited',
      },
      retrieval: { k: 1 },
      cacheDir: null,
    },
  });
  await expect(page.getByTestId('run-row').filter({ hasText: id })).toBeVisible();
  const opened = await clickAt(page, `button[aria-label="Open run ${id}"]`);
  const status = page.getByTestId('run-view-status');
  await expect(status).toHaveText(/^(finished|failed|cancelled)$/, { timeout: 240_000 });
  expect(await status.textContent(), server.log()).toBe('finished');
  const total = 1 + LIVE.samples + (LIVE.depth - 2) * LIVE.width * LIVE.samples;
  await waitForStillTree(page, opened, { nodes: total, minCards: 1 });
  await sampler.stop();
  if (profiling) await stopProfile(cdp, `live-${pace}`);

  const events = readRunLog(path.join(server.userDataDir, 'runs', id, 'events.jsonl')).events;
  const nodeEvents = events.filter((e): e is Extract<LoggedEvent, { type: 'node' }> => e.type === 'node');
  expect(nodeEvents).toHaveLength(total);
  const first = nodeEvents[LIVE.from]!;
  const last = nodeEvents[LIVE.from + LIVE.updates - 1]!;
  expect(opened, 'the page was subscribed before the 100 updates began').toBeLessThan(first.ts);
  const p = await probe(page);
  const shown = p.nodes.find((n) => n.value >= LIVE.from + LIVE.updates);
  expect(shown, 'the page showed the 100 new nodes').toBeDefined();
  const before = [...p.nodes].reverse().find((n) => n.at <= first.ts);
  const from = first.ts;
  const to = shown!.at;

  // Lag over the whole run: when the page's Calls counter showed a value vs when the server had logged that many calls.
  const callTimes: number[] = [];
  for (const e of events) if (e.type === 'call') for (let i = 0; i < e.requests; i++) callTimes.push(e.ts);
  const lags = p.calls
    .filter((c) => c.value > 0 && (callTimes[c.value - 1] ?? 0) >= opened)
    .map((c) => c.at - callTimes[c.value - 1]!);
  const busy = (key: keyof Omit<CpuSample, 'at'>) =>
    round(cpuAt(sampler.samples, to, key) - cpuAt(sampler.samples, from, key));

  saveSection(browser, `live-${pace}`, {
    run: {
      nodes: total,
      width: LIVE.width,
      samples: LIVE.samples,
      depth: LIVE.depth,
      events: events.length,
      calls: callTimes.length,
      modelLatencyMs: latencyMs,
      concurrency: LIVE.concurrency,
      serverRunMs: events.at(-1)!.ts - events[0]!.ts,
    },
    window: {
      updates: `nodes #${LIVE.from + 1}–#${LIVE.from + LIVE.updates} (${first.id} … ${last.id})`,
      pageNodesWhenTheyBegan: before?.value ?? 0,
      eventsInWindow: events.filter((e) => e.ts >= from && e.ts <= last.ts).length,
      serverEmitMs: last.ts - first.ts,
      pageShowedAllMs: round(to - from),
      pageLagAfterLastMs: round(to - last.ts),
      mainThreadBusyMs: busy('task'),
      scriptMs: busy('script'),
      layoutStyleMs: round(busy('layout') + busy('style')),
      longTasks: longTaskStats(p.longTasks, from, to),
      frames: frameStats(p.frames, from, to),
    },
    wholeRun: {
      samples: lags.length,
      lagP50Ms: round(percentile(lags, 0.5)),
      lagP95Ms: round(percentile(lags, 0.95)),
      lagMaxMs: round(Math.max(...lags)),
      mainThreadBusyMs: round(sampler.samples.at(-1)!.task - sampler.samples[0]!.task),
      longTasks: longTaskStats(p.longTasks, opened, Infinity),
      frames: frameStats(p.frames, opened, p.tree.at(-1)!.at),
    },
    note: 'a real run served by drpo-studio serve, its model a scripted user plugin (bench/support/fast-plugin); times from the run log (server clock) and the page (same machine clock)',
  });
}

for (const pace of Object.keys(PACES) as (keyof typeof PACES)[]) {
  test(`live (${pace}): 100 updates to a 1,000-node tree streamed by a run the server runs`, async ({
    page,
    browser,
    studioServer,
  }) => {
    await measureLive(page, browser, studioServer, pace);
  });
}
