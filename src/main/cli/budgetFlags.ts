// --budget-dollars and --budget-tokens: a new run's or experiment's budget over its config's, or
// the new limits a resume goes on with (runs/runBudget.ts), checked as the config's `budget` is.
import type { Command } from 'commander';
import type { Budget } from '../../shared/money.js';
import { budgetSchema } from '../../shared/runConfigSchema.js';
import { fail } from './fail.js';

export interface BudgetFlags {
  budgetDollars?: string;
  budgetTokens?: string;
}

export function addBudgetOptions(command: Command): Command {
  return command
    .option('--budget-dollars <usd>', 'pause once this many US dollars are spent (with --resume: the new limit)')
    .option('--budget-tokens <n>', 'pause once this many tokens are spent (with --resume: the new limit)');
}

/** The budget the flags give; undefined when neither is given. */
export function budgetFlags(options: BudgetFlags): Budget | undefined {
  if (options.budgetDollars === undefined && options.budgetTokens === undefined) return undefined;
  const parsed = budgetSchema.safeParse({
    ...(options.budgetDollars !== undefined ? { dollars: Number(options.budgetDollars) } : {}),
    ...(options.budgetTokens !== undefined ? { tokens: Number(options.budgetTokens) } : {}),
  });
  if (!parsed.success)
    fail('--budget-dollars takes a positive number of US dollars, --budget-tokens a positive whole number of tokens');
  return parsed.data;
}
