// Money and time: the spend a ledger records, the budget that closes the gate, the budget a resume
// raises, and the estimate's dollars per role, each figure worked out by hand from the price table.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { CallLedger } from '../../src/main/llm/callLedger.js';
import { BudgetReachedError, budgetInForce, ledgerSpend, SpendGate } from '../../src/main/runs/runBudget.js';
import { estimateCost } from '../../src/main/runs/runCost.js';
import type { LoggedEvent } from '../../src/main/store/runLog.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import { budgetFromFields, budgetReached, formatDollars, spendText } from '../../src/shared/money.js';

const call = (prompt: number, completion: number, costUsd: number) => ({
  requests: 1,
  samples: 1,
  usage: { promptTokens: prompt, completionTokens: completion },
  retries: 0,
  costUsd,
});

describe('spend and budget', () => {
  it('adds every ledger once: tokens of both kinds, dollars as each call was charged', () => {
    // gpt-4o-mini (resources/prices.json): $0.15 per million prompt tokens, $0.60 per million output tokens.
    // 2,000 prompt + 500 output tokens: 2000 × 0.15 / 1e6 + 500 × 0.6 / 1e6 = 0.0003 + 0.0003 = $0.0006.
    const a = new CallLedger();
    a.recordCall('judge', 'server', call(2000, 500, 0.0006));
    a.recordCacheHit('judge'); // a replay pays nothing
    const b = new CallLedger();
    b.recordCall('base', 'server', call(1000, 0, 0.00015));
    const spend = ledgerSpend(a, b);
    expect(spend.promptTokens).toBe(3000);
    expect(spend.completionTokens).toBe(500);
    expect(spend.dollars).toBeCloseTo(0.00075, 12);
  });

  it('says when a limit is reached, dollars first, each in its own unit', () => {
    const spend = { promptTokens: 900, completionTokens: 100, dollars: 1.02 };
    expect(budgetReached(undefined, spend)).toBeNull();
    expect(budgetReached({ tokens: 1001 }, spend)).toBeNull();
    expect(budgetReached({ tokens: 1000 }, spend)).toBe('budget of 1,000 tokens reached (1,000 tokens spent)');
    expect(budgetReached({ dollars: 1 }, spend)).toBe('budget of $1.00 reached ($1.02 spent)');
    expect(budgetReached({ dollars: 5, tokens: 10 }, spend)).toBe('budget of 10 tokens reached (1,000 tokens spent)');
    expect(formatDollars(0.0031)).toBe('$0.0031');
    expect(formatDollars(0)).toBe('$0.00');
    expect(spendText(spend, { dollars: 2 })).toBe('$1.02 of $2.00, 1,000 tokens');
    expect(spendText(spend, { tokens: 5000 })).toBe('$1.02, 1,000 of 5,000 tokens');
  });

  it('closes the gate once the ledger reaches the budget, stays closed, and waits for the calls in flight', async () => {
    const ledger = new CallLedger();
    const gate = new SpendGate({ tokens: 300 }, () => ledgerSpend(ledger));
    gate.admit();
    ledger.recordCall('base', 'server', call(200, 100, 0));
    let finished = false;
    const inFlight = gate.track(new Promise((resolve) => setTimeout(resolve, 20)).then(() => (finished = true)));
    expect(() => gate.admit()).toThrow(BudgetReachedError);
    expect(gate.reason).toBe('budget of 300 tokens reached (300 tokens spent)');
    await gate.settled();
    expect(finished).toBe(true);
    await inFlight;
    // An abort for the search, so it stops as it does for a cancel.
    expect(new BudgetReachedError('x').kind).toBe('aborted');
  });

  it('keeps the budget a resume raised; a new raise replaces only the limits it names', () => {
    const event = (e: Record<string, unknown>, seq: number) => ({ ...e, seq, ts: seq }) as LoggedEvent;
    const previous = [
      event({ type: 'run-started', stage: 'system-prompt', version: '1' }, 1),
      event({ type: 'run-resumed', budget: { dollars: 2, tokens: 1000 } }, 2),
      event({ type: 'run-resumed' }, 3),
    ];
    expect(budgetInForce({ dollars: 1 }, previous.slice(0, 1))).toEqual({ dollars: 1 });
    expect(budgetInForce({ dollars: 1 }, previous)).toEqual({ dollars: 2, tokens: 1000 });
    expect(budgetInForce({ dollars: 1 }, previous, { tokens: 5000 })).toEqual({ dollars: 2, tokens: 5000 });
    expect(budgetInForce(undefined, [], undefined)).toBeUndefined();
  });
});

describe('the forms’ budget fields', () => {
  it('make a budget of what is a positive number (tokens whole), nothing of empty or nonsense fields', () => {
    expect(budgetFromFields('', '')).toBeUndefined();
    expect(budgetFromFields('0', '-5')).toBeUndefined();
    expect(budgetFromFields('0.25', '')).toEqual({ dollars: 0.25 });
    expect(budgetFromFields(' ', '2.5')).toBeUndefined();
    expect(budgetFromFields('1', '20000')).toEqual({ dollars: 1, tokens: 20_000 });
  });
});

describe('the estimate in dollars', () => {
  const estimate = {
    planned: { base: 10, selector: 2, judge: 10, optimizer: 6 },
    perCall: {
      base: { prompt: 1000, completion: 500 },
      selector: { prompt: 800, completion: 300 },
      judge: { prompt: 1200, completion: 400 },
      optimizer: { prompt: 3000, completion: 1000 },
    },
    tokens: {
      base: { prompt: 12_000, completion: 6000 },
      selector: { prompt: 1600, completion: 600 },
      judge: { prompt: 14_400, completion: 4800 },
      optimizer: { prompt: 30_000, completion: 10_000 },
    },
  };

  it('prices each role at its backend: the table by model, the user’s own prices, a backend’s price; no price said so', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'drpo-cost-'));
    const store = await SettingsStore.open(userData);
    await store.update((s) => {
      s.prices['my-model'] = { input: 1, output: 3 };
    });
    const config = normalizeConfig(
      {
        backends: {
          mini: { plugin: 'openai', settings: { model: 'gpt-4o-mini' } },
          mine: { plugin: 'openai', settings: { model: 'my-model' } },
          fixed: { plugin: 'openai', settings: { model: 'llama3' }, price: { input: 2, output: 8 } },
          local: { plugin: 'ollama', settings: { model: 'llama3' } },
        },
        roles: {
          base: { backend: 'mini' },
          selector: { backend: 'mine' },
          judge: { backend: 'fixed' },
          optimizer: { backend: 'local' },
        },
      },
      userData,
    );
    const cost = await estimateCost(config, estimate, { userDataDir: userData });
    // gpt-4o-mini, $0.15 in / $0.60 out per million: from 10 × 1,000 × 0.15 / 1e6 = $0.0015,
    // up to (12,000 × 0.15 + 6,000 × 0.60) / 1e6 = (1,800 + 3,600) / 1e6 = $0.0054.
    expect(cost.base.model).toBe('gpt-4o-mini');
    expect(cost.base.dollars!.from).toBeCloseTo(0.0015, 12);
    expect(cost.base.dollars!.upTo).toBeCloseTo(0.0054, 12);
    // The settings' $1 / $3: from 2 × 800 × 1 / 1e6 = $0.0016, up to (1,600 × 1 + 600 × 3) / 1e6 = $0.0034.
    expect(cost.selector.dollars!.from).toBeCloseTo(0.0016, 12);
    expect(cost.selector.dollars!.upTo).toBeCloseTo(0.0034, 12);
    // The backend's own $2 / $8: from 10 × 1,200 × 2 / 1e6 = $0.024, up to (14,400 × 2 + 4,800 × 8) / 1e6 = $0.0672.
    expect(cost.judge.dollars!.from).toBeCloseTo(0.024, 12);
    expect(cost.judge.dollars!.upTo).toBeCloseTo(0.0672, 12);
    // llama3 is in no table: said, not $0.
    expect(cost.optimizer).toEqual({ backend: 'local', model: 'llama3', noPrice: 'no price for llama3' });
  });
});
