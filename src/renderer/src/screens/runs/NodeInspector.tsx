// The clicked node in full: a word diff of its prompt against its parent's, the query it was
// tried on, the model's answer, each aspect's score and rationale, and its error if any.

import { diffWords } from 'diff';
import { useMemo } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { formatScore } from '../../shell/format';
import { nodeKind } from './nodeKind';

interface Props {
  node: TreeNode | null;
  parent: TreeNode | null;
  /** The node is a level of a published trace, which holds no queries and no answers. */
  published?: boolean;
}

export function WordDiff({ before, after }: { before: string | null; after: string }) {
  const parts = useMemo(() => (before === null ? null : diffWords(before, after)), [before, after]);
  return (
    <div className="node-diff" data-testid="node-diff">
      {parts === null ? (
        <span>{after}</span>
      ) : (
        parts.map((part, i) => {
          const Tag = part.added ? 'ins' : part.removed ? 'del' : 'span';
          const className = part.added ? 'node-diff__ins' : part.removed ? 'node-diff__del' : undefined;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one diff, computed whole and never reordered
            <Tag key={i} className={className}>
              {part.value}
            </Tag>
          );
        })
      )}
    </div>
  );
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

      <section>
        <h5>Aspects</h5>
        {node.aspects && node.aspects.length > 0 ? (
          <table className="runs-table aspects-table">
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
          <p className="runs-muted">No aspect scores{kind === 'pending' ? ' yet' : ''}.</p>
        )}
      </section>
    </aside>
  );
}
