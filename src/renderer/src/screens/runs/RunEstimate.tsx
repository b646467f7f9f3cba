// The model calls a run would make, per role: appendix A.5's budget and this search's plan.
import { ROLES } from './newRunConfig';
import type { Estimate } from './useNewRunForm';

const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);

export function RunEstimate({ estimate }: { estimate: Estimate | null }) {
  const estimateRoles = estimate
    ? [...new Set([...ROLES, ...Object.keys(estimate.a5), ...Object.keys(estimate.planned)])]
    : [];
  const fitness = estimate?.fitness;
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
      {estimate ? (
        <table className="runs-table">
          <caption>Model calls before starting</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col" className="num">
                A.5 budget
              </th>
              <th scope="col" className="num">
                Planned
              </th>
            </tr>
          </thead>
          <tbody>
            {estimateRoles.map((role) => (
              <tr key={role}>
                <th scope="row">{role}</th>
                <td className="num">{estimate.a5[role] ?? 0}</td>
                <td className="num">{estimate.planned[role] ?? 0}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">total</th>
              <td className="num">{total(estimate.a5)}</td>
              <td className="num">{total(estimate.planned)}</td>
            </tr>
          </tfoot>
        </table>
      ) : (
        <p className="runs-muted">
          Press Estimate to see the calls per role (appendix A.5 budget and this search's plan) before starting.
        </p>
      )}
    </div>
  );
}
