// A tree node's kind, for its card and the inspector: scored, failed or pending.
import type { TreeNode } from '../../../../shared/studioApi';

export type NodeKind = 'scored' | 'failed' | 'pending';

/** Scored, failed (an error, or evaluated without a usable score) or still waiting for its evaluation. */
export function nodeKind(node: TreeNode): NodeKind {
  if (node.reward !== null) return 'scored';
  if (node.error !== undefined || node.output !== undefined) return 'failed';
  return 'pending';
}
