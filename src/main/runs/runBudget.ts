// A run's budget (config `budget`, README "Config"): checked where calls are accounted, before each
// call that would be paid for. Once the ledger's spend has reached it, no new call goes out: calls
// already in flight finish and are logged (they are paid for either way), then the run pauses with
// the reason. Calls a resumed run replays from its log or cache are never asked again, so they are
// counted once, as the earlier session recorded them (llm/callReplay.ts), and never block.
import { ModelCallError } from '../../plugins/contract.js';
import { type Budget, budgetReached, type Spend } from '../../shared/money.js';
import type { CallLedger } from '../llm/callLedger.js';
import type { LoggedEvent } from '../store/runLog.js';

/** The spend ledgers have recorded: every answered request (repairs and fallbacks included), once. */
export function ledgerSpend(...ledgers: CallLedger[]): Spend {
  const spend: Spend = { promptTokens: 0, completionTokens: 0, dollars: 0 };
  for (const { promptTokens, completionTokens, costUsd } of ledgers.map((l) => l.totals())) {
    spend.promptTokens += promptTokens;
    spend.completionTokens += completionTokens;
    spend.dollars += costUsd;
  }
  return spend;
}

/**
 * The budget in force: the latest one a resume set, else the config's; a resume's own (`raise`)
 * replaces the limits it names and keeps the other.
 */
export function budgetInForce(
  configured: Budget | undefined,
  previous: readonly LoggedEvent[],
  raise?: Budget,
): Budget | undefined {
  const raised = previous.findLast((e) => e.type === 'run-resumed' && e.budget !== undefined);
  const current = raised?.type === 'run-resumed' ? raised.budget : configured;
  return raise ? { ...current, ...raise } : current;
}

/** Thrown at a call the budget refuses: an abort, so the search stops as it does for a cancel. */
export class BudgetReachedError extends ModelCallError {
  constructor(readonly reason: string) {
    super('aborted', reason);
    this.name = 'BudgetReachedError';
  }
}

export class SpendGate {
  readonly #inFlight = new Set<Promise<unknown>>();
  #reason: string | null = null;

  constructor(
    readonly budget: Budget | undefined,
    private readonly spend: () => Spend,
  ) {}

  /** Why the gate closed; null while it is open. */
  get reason(): string | null {
    return this.#reason;
  }

  /** Throws BudgetReachedError when the spend has reached the budget; once closed, the gate stays closed. */
  admit(): void {
    this.#reason ??= budgetReached(this.budget, this.spend());
    if (this.#reason) throw new BudgetReachedError(this.#reason);
  }

  /** The line a pause gives: the spend once the calls in flight have finished, against the budget. */
  pauseReason(): string {
    return budgetReached(this.budget, this.spend()) ?? this.#reason ?? 'budget reached';
  }

  /** Keeps `call` until it settles, so a pause waits for what was already asked. */
  track<T>(call: Promise<T>): Promise<T> {
    this.#inFlight.add(call);
    const forget = () => this.#inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  /** Resolves once every call in flight has settled (those it starts meanwhile too). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }
}
