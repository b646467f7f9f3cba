// The model calls a run would make, per role: appendix A.5's count, this search's plan, and the
// worst case once depth extension has grown the search; then their tokens and dollars.
import { EstimateCost } from './EstimateCost';
import { ROLES } from './newRunConfig';
import type { Estimate } from './useNewRunForm';

const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);

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
            Model calls before starting: {levels.planned} levels
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
            </tr>
          </thead>
          <tbody>
            {estimateRoles.map((role) => (
              <tr key={role}>
                <th scope="row">{role}</th>
                <td className="num">{estimate.a5[role] ?? 0}</td>
                <td className="num">{estimate.planned[role] ?? 0}</td>
                <td className="num">{estimate.worstCase[role] ?? 0}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">total</th>
              <td className="num">{total(estimate.a5)}</td>
              <td className="num">{total(estimate.planned)}</td>
              <td className="num">{total(estimate.worstCase)}</td>
            </tr>
          </tfoot>
        </table>
      ) : null}
      {estimate && levels ? (
        <EstimateCost estimate={estimate} roles={estimateRoles} />
      ) : (
        <p className="runs-muted">
          Press Estimate to see the calls per role (appendix A.5, this search's plan, and the worst case with depth
          extension), their tokens and dollars before starting.
        </p>
      )}
    </div>
  );
}
