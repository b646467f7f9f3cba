// Money and tokens as the studio and the CLI write them, and what a run has spent against its
// budget (config `budget`). Shared: the service computes, the renderer and the CLI show.

/** A run's limit on what it spends: it pauses once either is reached (README "Config"). */
export interface Budget {
  /** US dollars, from the backends' prices (resources/prices.json, settings, a backend's `price`). */
  dollars?: number;
  /** Prompt and output tokens together, every backend's. */
  tokens?: number;
}

/** What a run or an experiment has paid for so far: every answered request, once. */
export interface Spend {
  promptTokens: number;
  completionTokens: number;
  /** US dollars, where the backends have a price. */
  dollars: number;
}

/** "$0.42", "$12.50"; below a cent, two significant digits ("$0.0031"), so a small spend is not "$0.00". */
export function formatDollars(dollars: number): string {
  if (dollars > 0 && dollars < 0.01) return `$${Number(dollars.toPrecision(2))}`;
  return `$${dollars.toFixed(2)}`;
}

/** "12,345 tokens", "1 token". */
export function formatTokens(tokens: number): string {
  const whole = Math.round(tokens);
  return `${whole.toLocaleString('en-US')} ${whole === 1 ? 'token' : 'tokens'}`;
}

/** The budget two form fields give ('' for no limit): each limit that is a positive number (tokens whole); undefined when none is. */
export function budgetFromFields(dollars: string, tokens: string): Budget | undefined {
  const usd = Number(dollars.trim() || Number.NaN);
  const count = Number(tokens.trim() || Number.NaN);
  const budget: Budget = {
    ...(usd > 0 ? { dollars: usd } : {}),
    ...(Number.isInteger(count) && count > 0 ? { tokens: count } : {}),
  };
  return Object.keys(budget).length > 0 ? budget : undefined;
}

/** Why the spend has reached the budget, in a line ("budget of $1.00 reached ($1.02 spent)"); null while within it. */
export function budgetReached(budget: Budget | undefined, spend: Spend): string | null {
  const tokens = spend.promptTokens + spend.completionTokens;
  if (budget?.dollars !== undefined && spend.dollars >= budget.dollars)
    return `budget of ${formatDollars(budget.dollars)} reached (${formatDollars(spend.dollars)} spent)`;
  if (budget?.tokens !== undefined && tokens >= budget.tokens)
    return `budget of ${formatTokens(budget.tokens)} reached (${formatTokens(tokens)} spent)`;
  return null;
}

/** "$0.12 of $1.00, 3,210 of 10,000 tokens": the spend, each against its budget where one is set. */
export function spendText(spend: Spend, budget?: Budget): string {
  const tokens = spend.promptTokens + spend.completionTokens;
  const dollars = `${formatDollars(spend.dollars)}${budget?.dollars !== undefined ? ` of ${formatDollars(budget.dollars)}` : ''}`;
  const count =
    budget?.tokens !== undefined
      ? `${Math.round(tokens).toLocaleString('en-US')} of ${formatTokens(budget.tokens)}`
      : formatTokens(tokens);
  return `${dollars}, ${count}`;
}

/** Whether a pause's reason is a budget's (budgetReached's line): the studio then offers to raise it. */
export const isBudgetPause = (reason: string): boolean => /^budget of .+ reached \(/.test(reason);
