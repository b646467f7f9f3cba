// One node of the beam tree: a small focusable card with the node's reward, colored red (1) to
// green (5); bold border in its level's beam, faded when pruned, grey with a warning when failed,
// ringed when it matches the tree's search. Placed at its layout position inside the tree's
// transformed viewport.

import { type CSSProperties, memo } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { formatScore, rewardHue } from '../../shell/format';
import { nodeKind } from './nodeKind';

interface Props {
  node: TreeNode;
  x: number;
  y: number;
  pruned: boolean;
  selected: boolean;
  /** Matches the tree's search. */
  matched: boolean;
  onSelect: (id: string) => void;
}

/** The element that tells how the keyboard moves between cards (in BeamTree). */
export const KEYS_HINT_ID = 'beam-tree-keys';

function TreeNodeCardImpl({ node, x, y, pruned, selected, matched, onSelect }: Props) {
  const kind = nodeKind(node);
  const style: CSSProperties & Record<string, string> = { transform: `translate(${x}px, ${y}px)` };
  if (kind === 'scored') style['--node-hue'] = String(rewardHue(node.reward!));
  const classes = ['tree-node', `tree-node--${kind}`];
  if (node.inBeam) classes.push('tree-node--beam');
  if (pruned) classes.push('tree-node--pruned');
  if (selected) classes.push('tree-node--selected');
  if (matched) classes.push('tree-node--match');
  const label =
    kind === 'scored'
      ? `reward ${formatScore(node.reward)}`
      : kind === 'failed'
        ? `failed${node.error ? `: ${node.error}` : ' (no score)'}`
        : 'waiting for its evaluation';
  return (
    <button
      type="button"
      className={classes.join(' ')}
      style={style}
      data-testid={`tree-node-${node.id}`}
      data-node-id={node.id}
      aria-pressed={selected}
      aria-label={`Node ${node.id}, level ${node.level}, ${label}${node.inBeam ? ', in the beam' : pruned ? ', pruned' : ''}${matched ? ', matches the search' : ''}`}
      aria-describedby={KEYS_HINT_ID}
      title={`${node.id} · ${node.action} · ${label}`}
      onClick={() => onSelect(node.id)}
    >
      <span className="tree-node__reward">
        {kind === 'failed' && <span aria-hidden="true">⚠ </span>}
        {kind === 'scored' ? formatScore(node.reward) : kind === 'failed' ? 'n/a' : '…'}
      </span>
      <span className="tree-node__meta">
        L{node.level}
        {node.score !== null ? ` · ${formatScore(node.score)}` : ''}
      </span>
    </button>
  );
}

export const TreeNodeCard = memo(TreeNodeCardImpl);
