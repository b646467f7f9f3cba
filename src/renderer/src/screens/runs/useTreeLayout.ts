// Positions for the tree's nodes, recomputed only when the node set changes (`shapeKey`), by the
// layout worker (layoutClient.ts) so the screen stays responsive.
import { useEffect, useRef, useState } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { LayoutClient } from './layoutClient';
import type { Positions } from './treeGeometry';

export function useTreeLayout(nodes: readonly TreeNode[], shapeKey: string): Positions {
  const [positions, setPositions] = useState<Positions>(() => new Map());
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const client = useRef<LayoutClient | null>(null);

  useEffect(() => {
    const layouts = new LayoutClient(setPositions);
    client.current = layouts;
    return () => {
      layouts.dispose();
      client.current = null;
    };
  }, []);

  // Scores and beam membership move nothing: the nodes are read only when their set changes.
  useEffect(() => {
    client.current?.request(shapeKey, nodesRef.current);
  }, [shapeKey]);

  return positions;
}
