// A try's cost in words: planned before Run, spent after.
import type { AspectTryCost, AspectTryEstimate } from '../../../../../shared/aspectTry';
import { plural } from '../../../shell/format';

function tokensAndDollars(cost: AspectTryCost): string {
  const tokens = cost.promptTokens + cost.completionTokens;
  const dollars = cost.costUsd === null ? 'no price' : `$${cost.costUsd.toFixed(4)}`;
  return `${tokens.toLocaleString('en-US')} tokens (${cost.promptTokens.toLocaleString('en-US')} in, ${cost.completionTokens.toLocaleString('en-US')} out) · ${dollars}`;
}

/** "Estimate: 2 calls (select, judge), at most 4 with repair re-asks · 1,234 tokens (…) · no price". */
export function estimateText(estimate: AspectTryEstimate): string {
  return `Estimate: ${plural(estimate.calls, 'call')} (${estimate.steps.join(', ')}), at most ${estimate.worstCase} with repair re-asks · ${tokensAndDollars(estimate)}`;
}

/** "Spent: 2 calls · 1,180 tokens (…) · $0.0003". */
export function spentText(cost: AspectTryCost): string {
  return `Spent: ${plural(cost.calls, 'call')} · ${tokensAndDollars(cost)}`;
}
