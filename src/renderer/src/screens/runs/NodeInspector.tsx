// The clicked node in full: a word diff of its prompt against its parent's, the optimizer's
// analysis that rewrote the parent into it, the query it was tried on, the model's answer, the
// judge's critique (each aspect's score and rationale), and its error if any.

import type { TreeNode } from '../../../../shared/studioApi';
import { formatScore } from '../../shell/format';
import { NodeAspects } from './NodeAspects';
import { nodeKind } from './nodeKind';
import { OptimizerAnalysis } from './OptimizerAnalysis';
import { WordDiff } from './WordDiff';

interface Props {
  node: TreeNode | null;
  parent: TreeNode | null;
  /** The node is a level of a published trace, which holds no queries and no answers. */
  published?: boolean;
}

export function NodeInspector({ node, parent, published = false }: Props) {
  if (!node) {
    return (
      <aside className="node-inspector node-inspector--empty" data-testid="node-inspector">
        <p className="runs-muted">
          Select a node in the tree to see its prompt, the change from its parent, the answer and the judge's scores.
        </p>
      </aside>
    );
  }
  const kind = nodeKind(node);
  const unchanged = parent !== null && parent.state === node.state;
  return (
    <aside className="node-inspector" data-testid="node-inspector" aria-label={`Node ${node.id}`}>
      <header className="node-inspector__header">
        <h4>
          Node <code>{node.id}</code>
        </h4>
        <dl className="runs-facts">
          <div>
            <dt>Level</dt>
            <dd>{node.level}</dd>
          </div>
          <div>
            <dt>Action</dt>
            <dd>{node.action}</dd>
          </div>
          <div>
            <dt>Reward</dt>
            <dd>{formatScore(node.reward)}</dd>
          </div>
          <div>
            <dt>Path score</dt>
            <dd>{formatScore(node.score)}</dd>
          </div>
          <div>
            <dt>Beam</dt>
            <dd>{node.inBeam ? 'kept' : '—'}</dd>
          </div>
        </dl>
      </header>

      {node.error !== undefined && (
        <p className="runs-error" role="alert">
          ⚠ {node.error}
        </p>
      )}
      {kind === 'failed' && node.error === undefined && (
        <p className="runs-error">⚠ Evaluated without a usable score.</p>
      )}

      <section>
        <h5>
          Prompt{' '}
          {parent ? (
            <span className="runs-muted">
              (changes from its parent {parent.id}
              {unchanged ? ': none' : ''})
            </span>
          ) : (
            <span className="runs-muted">(the initial state)</span>
          )}
        </h5>
        <WordDiff before={parent ? parent.state : null} after={node.state} />
      </section>

      <OptimizerAnalysis node={node} parent={parent} published={published} />

      <section>
        <h5>Query</h5>
        {published ? (
          <p className="runs-muted">Not published: the trace holds no queries.</p>
        ) : (
          <pre className="runs-pre">{node.query || '—'}</pre>
        )}
      </section>

      <section>
        <h5>Output</h5>
        {node.output !== undefined ? (
          <pre className="runs-pre">{node.output || '(empty)'}</pre>
        ) : (
          <p className="runs-muted">{published ? 'Not published: the trace holds no answers.' : 'Not answered yet.'}</p>
        )}
      </section>

      <NodeAspects node={node} pending={kind === 'pending'} />
    </aside>
  );
}
