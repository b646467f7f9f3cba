// A node's critique: the judge's score and rationale for each aspect of its answer.
import type { TreeNode } from '../../../../shared/studioApi';
import { formatScore } from '../../shell/format';

export function NodeAspects({ node, pending }: { node: TreeNode; pending: boolean }) {
  return (
    <section>
      <h5>Critique</h5>
      {node.aspects && node.aspects.length > 0 ? (
        <table className="runs-table aspects-table" data-testid="node-aspects">
          <thead>
            <tr>
              <th scope="col">Aspect</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col">Rationale</th>
            </tr>
          </thead>
          <tbody>
            {node.aspects.map((a) => (
              <tr key={a.aspect}>
                <td>{a.aspect}</td>
                <td className="num">{formatScore(a.score, 1)}</td>
                <td>{a.rationale}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="runs-muted">No aspect scores{pending ? ' yet' : ''}.</p>
      )}
    </section>
  );
}
