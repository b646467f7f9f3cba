// The tree's layout, kept across renders and fed only the nodes added since the last one (a
// snapshot whose node list did not grow costs a length check); `version` changes with the layout.
import { useMemo, useRef } from 'react';
import type { LayoutNode } from './treeGeometry';
import { TreeLayout } from './treeLayout';

export function useTreeLayout(nodes: readonly LayoutNode[]): { layout: TreeLayout; version: number } {
  const ref = useRef<TreeLayout | null>(null);
  ref.current ??= new TreeLayout();
  const layout = ref.current;
  const version = useMemo(() => {
    layout.sync(nodes);
    return layout.version;
  }, [layout, nodes]);
  return { layout, version };
}
