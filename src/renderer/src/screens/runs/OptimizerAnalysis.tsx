// Why a node exists: the optimizer's analysis of its parent's answer and critique, and the plan
// (its reply's `thought`) that rewrote the parent's prompt into this one. The root and carried-over
// states had no rewrite; runs logged before the analysis was kept say so.
import type { TreeNode } from '../../../../shared/studioApi';

interface Props {
  node: TreeNode;
  parent: TreeNode | null;
  published: boolean;
}

function absence(node: TreeNode, published: boolean): string {
  if (node.action === 'initial') return 'The initial state: no rewrite made it.';
  if (node.action === 'carry-over') return 'Carried over unchanged from its parent: no rewrite made it.';
  if (published) return 'Not published: the trace holds no analysis.';
  return "Not in this run's log (runs logged before the optimizer's analysis was kept).";
}

export function OptimizerAnalysis({ node, parent, published }: Props) {
  const given = node.analysis !== undefined || node.thought !== undefined;
  return (
    <section data-testid="node-analysis">
      <h5>
        Optimizer's analysis{' '}
        {parent && node.action === 'rewrite' && (
          <span className="runs-muted">(of {parent.id}'s answer and critique)</span>
        )}
      </h5>
      {given ? (
        <dl className="node-analysis">
          {node.analysis !== undefined && (
            <div>
              <dt>Analysis</dt>
              <dd data-testid="node-analysis-text">{node.analysis}</dd>
            </div>
          )}
          {node.thought !== undefined && (
            <div>
              <dt>Plan</dt>
              <dd data-testid="node-thought-text">{node.thought}</dd>
            </div>
          )}
        </dl>
      ) : (
        <p className="runs-muted">{absence(node, published)}</p>
      )}
    </section>
  );
}
