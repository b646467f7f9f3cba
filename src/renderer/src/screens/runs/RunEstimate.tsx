// The model calls a run would make, per role: appendix A.5's count, this search's plan, and the
// worst case once depth extension has grown the search; the worst case's tokens, and the dollars at
// the role's price, from the planned prompts alone up to the worst case (src/main/runs/runCost.ts).
import { formatDollars } from '../../../../shared/money';
import { ROLES } from './newRunConfig';
import type { Estimate } from './useNewRunForm';

const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** "$0.01 – $0.40", or why there is no figure ("no price for llama3"). */
function dollarsText(cost: Estimate['cost'][string] | undefined): string {
  if (!cost) return '';
  return cost.dollars ? `${formatDollars(cost.dollars.from)} – ${formatDollars(cost.dollars.upTo)}` : cost.noPrice!;
}

/** The priced roles' sum, saying when some had no price. */
function totalDollars(estimate: Estimate): string {
  const priced = Object.values(estimate.cost).flatMap((c) => c.dollars ?? []);
  if (priced.length === 0) return 'no price';
  const from = priced.reduce((s, d) => s + d.from, 0);
  const upTo = priced.reduce((s, d) => s + d.upTo, 0);
  const missing = priced.length < Object.keys(estimate.cost).length ? ' + unpriced roles' : '';
  return `${formatDollars(from)} – ${formatDollars(upTo)}${missing}`;
}

export function RunEstimate({ estimate }: { estimate: Estimate | null }) {
  const estimateRoles = estimate
    ? [
        ...new Set([
          ...ROLES,
          ...Object.keys(estimate.a5),
          ...Object.keys(estimate.planned),
          ...Object.keys(estimate.worstCase),
        ]),
      ]
    : [];
  const fitness = estimate?.fitness;
  const levels = estimate?.levels;
  return (
    <div data-testid="run-estimate" className="run-estimate" aria-live="polite">
      {fitness && fitness.refusals.length + fitness.warnings.length > 0 && (
        <ul className="runs-warnings" aria-label="Backends and roles" data-testid="run-fitness">
          {fitness.refusals.map((refusal) => (
            <li key={refusal}>✖ Start will refuse: {refusal}</li>
          ))}
          {fitness.warnings.map((warning) => (
            <li key={warning}>⚠ {warning}</li>
          ))}
        </ul>
      )}
      {estimate && levels ? (
        <table className="runs-table">
          <caption>
            Model calls, tokens and dollars before starting: {levels.planned} levels
            {levels.worstCase > levels.planned ? `, up to ${levels.worstCase} with depth extension` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col" className="num">
                A.5 count
              </th>
              <th scope="col" className="num">
                Planned
              </th>
              <th scope="col" className="num" title="with every level depth extension may add">
                Worst case
              </th>
              <th
                scope="col"
                className="num"
                title="Worst case: prompts from their characters / 4, every output at its maxTokens (an upper bound)"
              >
                Tokens
              </th>
              <th
                scope="col"
                className="num"
                title="At the connection's price per million tokens: the planned prompts alone, up to the worst case"
              >
                Dollars
              </th>
            </tr>
          </thead>
          <tbody>
            {estimateRoles.map((role) => (
              <tr key={role}>
                <th scope="row">{role}</th>
                <td className="num">{estimate.a5[role] ?? 0}</td>
                <td className="num">{estimate.planned[role] ?? 0}</td>
                <td className="num">{estimate.worstCase[role] ?? 0}</td>
                <td className="num">
                  {estimate.tokens[role] && (
                    <>
                      {count(estimate.tokens[role].prompt)} in
                      <br />≤ {count(estimate.tokens[role].completion)} out
                    </>
                  )}
                </td>
                <td className="num run-estimate__dollars" data-testid={`estimate-dollars-${role}`}>
                  {dollarsText(estimate.cost[role])}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">total</th>
              <td className="num">{total(estimate.a5)}</td>
              <td className="num">{total(estimate.planned)}</td>
              <td className="num">{total(estimate.worstCase)}</td>
              <td className="num" data-testid="estimate-tokens-total">
                {count(Object.values(estimate.tokens).reduce((s, t) => s + t.prompt + t.completion, 0))}
              </td>
              <td className="num run-estimate__dollars" data-testid="estimate-dollars-total">
                {totalDollars(estimate)}
              </td>
            </tr>
          </tfoot>
        </table>
      ) : (
        <p className="runs-muted">
          Press Estimate to see the calls per role (appendix A.5, this search's plan, and the worst case with depth
          extension), their tokens and dollars before starting.
        </p>
      )}
    </div>
  );
}
