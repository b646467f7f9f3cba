// The 'auto' limit, from its specification (concurrencyController.ts's header): start at what the
// server declares, else 1; +1 after a round (as many samples as the limit) with calls waiting and
// flat latency, unless the round before it was congested; −1 after two rounds in a row whose mean latency grew past
// max(1.15, 1 + 0.5/limit) × the 10th percentile of its kind; on 429/503 down to the refused
// load − 1, that load not probed for 30 s (doubled when refused again within the hold), and no
// lowering by latency meanwhile.
import { describe, expect, it } from 'vitest';
import { createController, type LimitChange } from '../../src/main/llm/concurrencyController.js';

/** `count` samples of one kind at `latencyMs`, each started at the current limit with `waiting` calls queued. */
function feed(
  controller: ReturnType<typeof createController>,
  count: number,
  latencyMs: number,
  waiting: number,
  kind = 'judge',
): void {
  for (let i = 0; i < count; i++) {
    const load = controller.current.limit;
    controller.sample({ kind, latencyMs, load, demand: load + waiting });
  }
}

/** A controller on a clock the test moves. */
function clocked(declared?: { limit: number; source: string }) {
  const clock = { ms: 0 };
  return { clock, c: createController('auto', declared, () => clock.ms) };
}

describe('a pinned concurrency', () => {
  it('stays as the config says, whatever the server does', () => {
    const c = createController(4);
    feed(c, 50, 100, 10);
    c.overloaded({ load: 3 });
    expect(c.current).toEqual({ mode: 'fixed', limit: 4, reason: 'pinned at 4 by the config' });
  });

  it('is lowered to what the server declares it serves, saying so', () => {
    const c = createController(8, { limit: 2, source: 'the ollama plugin' });
    expect(c.current.limit).toBe(2);
    expect(c.current.reason).toMatch(/pinned at 8 .* lowered to 2: the ollama plugin says/);
  });
});

describe("'auto'", () => {
  it('starts at 1 when the server declares nothing, at the declared number otherwise', () => {
    expect(createController('auto').current).toMatchObject({
      mode: 'auto',
      limit: 1,
      reason: 'the server declares no capacity: probing from 1',
    });
    expect(createController('auto', { limit: 6, source: 'the llama-cpp plugin' }).current).toMatchObject({
      limit: 6,
      reason: 'the llama-cpp plugin says the server serves 6 at a time',
    });
  });

  it('adds one per round of flat latency with calls waiting, and only then', () => {
    const c = createController('auto');
    const changes: LimitChange[] = [];
    c.onChange((change) => changes.push(change));
    // The first sample of a kind only sets its baseline, so the first round needs 1 + 1 samples.
    feed(c, 2, 100, 5);
    expect(c.current.limit).toBe(2);
    feed(c, 2, 100, 5); // a round at 2
    expect(c.current.limit).toBe(3);
    feed(c, 3, 100, 0); // nothing waiting: the search cannot use more
    expect(c.current.limit).toBe(3);
    expect(changes.map((ch) => ch.limit)).toEqual([1, 2, 3]);
    expect(changes[1]!.reason).toBe('latency flat at 1 in flight with calls waiting: raised to 2');
  });

  it('takes one away after two rounds of latency grown with load (a server that queues)', () => {
    const c = createController('auto', { limit: 4, source: 'test' });
    feed(c, 1, 100, 0); // the baseline
    // At 4 in flight on a 3-slot queueing server every call takes 4/3 as long: 133 ms > 1.15 × 100.
    feed(c, 4, 133, 5);
    expect(c.current.limit).toBe(4); // one round may be noise
    feed(c, 4, 133, 5);
    expect(c.current).toMatchObject({ limit: 3, reason: 'latency grew 33 % at 4 in flight: lowered to 3' });
    // 12 % slower at 3 is under max(1.15, 1 + 0.5/3 = 1.167): flat; but the round before was
    // congested, so only a second flat round probes 4 again.
    feed(c, 3, 112, 5);
    expect(c.current.limit).toBe(3);
    feed(c, 3, 112, 5);
    expect(c.current.limit).toBe(4);
  });

  it('does not raise on a flat round right after a congested one (one past the slots, bursty)', () => {
    // A 4-slot queueing server at 5 in flight: a round where the fifth call waited a whole latency
    // has mean growth (4 × 1 + 2) / 5 = 1.2 > 1.15; a burst can leave the next round flat.
    const c = createController('auto', { limit: 5, source: 'test' });
    feed(c, 1, 100, 0);
    feed(c, 5, 120, 5);
    feed(c, 5, 100, 5);
    expect(c.current.limit).toBe(5);
    feed(c, 5, 120, 5);
    feed(c, 5, 100, 5);
    expect(c.current.limit).toBe(5);
  });

  it('a congested round between flat ones lowers nothing', () => {
    const c = createController('auto', { limit: 4, source: 'test' });
    feed(c, 1, 100, 0);
    feed(c, 4, 140, 0);
    feed(c, 4, 100, 0);
    feed(c, 4, 140, 0);
    expect(c.current.limit).toBe(4);
  });

  it('measures growth against the 10th percentile of its kind, not its one fastest call', () => {
    const c = createController('auto', { limit: 2, source: 'test' });
    // 20 calls: 19 at 100 ms, then one freak 10 ms; the 10th percentile (the 3rd fastest) is 100 ms.
    feed(c, 19, 100, 0);
    feed(c, 1, 10, 0);
    feed(c, 4, 110, 0); // two rounds 10 % over the percentile: flat (against the 10 ms call, 11 × twice)
    expect(c.current.limit).toBe(2);
  });

  it('compares latency within a kind: a slow role is not congestion', () => {
    const c = createController('auto');
    feed(c, 1, 100, 0, 'selector');
    feed(c, 1, 1000, 0, 'judge');
    feed(c, 1, 1000, 3, 'judge'); // as fast as judges go
    expect(c.current.limit).toBe(2);
  });

  it('drops below the load a 429/503 refused, does not probe it for 30 s, nor lower by latency meanwhile', () => {
    const { clock, c } = clocked({ limit: 6, source: 'test' });
    c.overloaded({ load: 5 });
    expect(c.current).toMatchObject({
      limit: 4,
      reason: 'the server refused a call (429/503) at 5 in flight: lowered to 4',
    });
    feed(c, 1, 100, 0); // baseline
    for (let round = 0; round < 30; round++) feed(c, 4, 100, 9);
    expect(c.current.limit).toBe(4); // 5 was refused: not probed during the hold
    feed(c, 8, 200, 9); // twice as slow, twice: but the server's capacity is known from its refusal
    expect(c.current.limit).toBe(4);
    clock.ms = 30_001;
    feed(c, 4, 100, 9); // flat, but right after a congested round
    expect(c.current.limit).toBe(4);
    feed(c, 4, 100, 9);
    expect(c.current.limit).toBe(5);
  });

  it('holds twice as long when the probe is refused again within the hold', () => {
    const { clock, c } = clocked({ limit: 6, source: 'test' });
    c.overloaded({ load: 5 }); // hold until 30 s
    clock.ms = 10_000;
    c.overloaded({ load: 4 }); // within the hold: 60 s from now
    expect(c.current.limit).toBe(3);
    feed(c, 1, 100, 0);
    clock.ms = 69_999;
    feed(c, 3, 100, 9);
    expect(c.current.limit).toBe(3);
    clock.ms = 70_001;
    feed(c, 3, 100, 9);
    expect(c.current.limit).toBe(4);
  });

  it('never goes below 1, and a refusal at a higher, older load changes nothing', () => {
    const c = createController('auto');
    c.overloaded({ load: 1 });
    expect(c.current.limit).toBe(1);
    const d = createController('auto', { limit: 3, source: 'test' });
    d.overloaded({ load: 9 });
    expect(d.current.limit).toBe(3);
  });

  it('never rises above what the server declares', () => {
    const c = createController('auto', { limit: 2, source: 'test' });
    feed(c, 40, 100, 10);
    expect(c.current.limit).toBe(2);
  });
});
