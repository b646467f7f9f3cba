// The estimate's tokens and dollars per role (src/main/runs/runCost.ts): the worst case's tokens
// (prompts from their characters / 4, every output at its maxTokens, so an upper bound) and the
// dollars at the role's price, from the planned prompts alone up to that worst case; a role whose
// model has no price says so rather than cost $0.
import { formatDollars } from '../../../../shared/money';
import type { Estimate } from './useNewRunForm';

type RoleCost = Estimate['cost'][string];

/** "958.7K": a token count as an estimate deserves. */
const compact = (n: number) =>
  new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(Math.round(n));

const range = (from: number, upTo: number) => `${formatDollars(from)}–${formatDollars(upTo)}`;

/** The priced roles' sum, saying when some had no price. */
function totalDollars(costs: RoleCost[]): string {
  const priced = costs.flatMap((c) => c.dollars ?? []);
  if (priced.length === 0) return 'no price';
  const sum = (key: 'from' | 'upTo') => priced.reduce((s, d) => s + d[key], 0);
  return `${range(sum('from'), sum('upTo'))}${priced.length < costs.length ? ' + unpriced' : ''}`;
}

export function EstimateCost({ estimate, roles }: { estimate: Estimate; roles: readonly string[] }) {
  const tokens = (role: string) => estimate.tokens[role] ?? { prompt: 0, completion: 0 };
  const costs = roles.flatMap((role) => estimate.cost[role] ?? []);
  return (
    <table className="runs-table" data-testid="estimate-cost">
      <caption>Tokens and dollars (worst case; dollars from the planned prompts alone up to it)</caption>
      <thead>
        <tr>
          <th scope="col">Role</th>
          <th scope="col" className="num" title="Characters of the prompts the role sends, / 4">
            Tokens in
          </th>
          <th scope="col" className="num" title="Every output at the role's maxTokens: an upper bound">
            Out (≤)
          </th>
          <th scope="col" className="num" title="At the connection's price per million tokens (resources/prices.json)">
            Dollars
          </th>
        </tr>
      </thead>
      <tbody>
        {roles.map((role) => {
          const cost = estimate.cost[role];
          return (
            <tr key={role}>
              <th scope="row">{role}</th>
              <td className="num">{compact(tokens(role).prompt)}</td>
              <td className="num">{compact(tokens(role).completion)}</td>
              <td className="num" data-testid={`estimate-dollars-${role}`}>
                {cost?.dollars ? range(cost.dollars.from, cost.dollars.upTo) : (cost?.noPrice ?? '')}
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">total</th>
          <td className="num" data-testid="estimate-tokens-total" colSpan={2}>
            {compact(roles.reduce((s, role) => s + tokens(role).prompt + tokens(role).completion, 0))}
          </td>
          <td className="num" data-testid="estimate-dollars-total">
            {totalDollars(costs)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
