// What a run's estimate (runEstimate.ts) costs in dollars, per role, at the price its backend is
// charged at: the backend's own `price`, else the price table (resources/prices.json under the
// user's settings `prices`) by the model its settings (or its saved connection's) name. The figure
// is a range: from the planned calls' prompts alone (every output empty: the least they can cost)
// up to the worst case's prompts and every output at its maxTokens. A role whose model has no
// price says so instead of costing $0. Nothing here opens a backend.
import { ownValue } from '../../shared/ownProperty.js';
import type { RunConfig } from '../config/runConfig.js';
import { ROLES, type Role } from '../llm/callLedger.js';
import { defaultUserDataDir, type Price, SettingsStore } from '../store/settingsStore.js';
import type { BackendHost } from './openBackends.js';
import { priceTable } from './openBackends.js';
import type { RunEstimate } from './runEstimate.js';

export interface RoleCost {
  backend: string;
  /** The model its settings name, where they name one. */
  model?: string;
  /** US dollars per million tokens; absent: no price known (`noPrice` says for what). */
  price?: Price;
  noPrice?: string;
  /** US dollars: the planned calls' prompts only, and the worst case with every output at maxTokens. */
  dollars?: { from: number; upTo: number };
}

/** Dollars for `prompt` and `completion` tokens at `price` (per million). */
export const dollarsFor = (price: Price, prompt: number, completion: number) =>
  (prompt * price.input + completion * price.output) / 1e6;

export async function estimateCost(
  config: RunConfig,
  estimate: Pick<RunEstimate, 'planned' | 'tokens' | 'perCall'>,
  host: Pick<BackendHost, 'env' | 'userDataDir'> = {},
): Promise<Record<Role, RoleCost>> {
  const store = await SettingsStore.open(host.userDataDir ?? defaultUserDataDir(host.env ?? process.env));
  const prices = priceTable(store);
  const cost = (role: Role): RoleCost => {
    const name = config.roles[role].backend!;
    const backend = config.backends[name]!;
    const saved = backend.connection ? ownValue(store.data.connections, backend.connection) : undefined;
    const named = backend.settings.model ?? saved?.settings.model;
    const model = typeof named === 'string' ? named : undefined;
    const price = backend.price ?? (model ? ownValue(prices, model) : undefined);
    if (!price) return { backend: name, ...(model ? { model } : {}), noPrice: `no price for ${model ?? name}` };
    const { tokens, perCall, planned } = estimate;
    const dollars = {
      from: dollarsFor(price, planned[role] * perCall[role].prompt, 0),
      upTo: dollarsFor(price, tokens[role].prompt, tokens[role].completion),
    };
    return { backend: name, ...(model ? { model } : {}), price, dollars };
  };
  return Object.fromEntries(ROLES.map((role) => [role, cost(role)])) as Record<Role, RoleCost>;
}
