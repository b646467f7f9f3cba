// Positions for the tree's nodes, recomputed only when the node set changes (`shapeKey`), in a
// worker so the screen stays responsive; one layout in flight at a time, always converging to
// the latest node set. Without workers it lays out on the main thread.
import { useEffect, useRef, useState } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { type LayoutNode, layoutTree, type Positions } from './treeLayout';

interface Reply {
  job: number;
  positions: [string, { x: number; y: number }][];
}

export function useTreeLayout(nodes: readonly TreeNode[], shapeKey: string): Positions {
  const [positions, setPositions] = useState<Positions>(() => new Map());
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const worker = useRef<Worker | null | undefined>(undefined);
  const inFlight = useRef<number | null>(null);
  const pending = useRef(false);
  const jobs = useRef(0);

  useEffect(() => {
    return () => {
      worker.current?.terminate();
      worker.current = undefined;
    };
  }, []);

  useEffect(() => {
    const snapshot = (): LayoutNode[] => nodesRef.current.map(({ id, parentId, level }) => ({ id, parentId, level }));
    if (worker.current === undefined) {
      try {
        const w = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
        w.onmessage = (event: MessageEvent<Reply>) => {
          if (event.data.job !== inFlight.current) return;
          inFlight.current = null;
          setPositions(new Map(event.data.positions));
          if (pending.current) send();
        };
        w.onerror = () => {
          // A worker that cannot start: lay out here instead.
          w.terminate();
          worker.current = null;
          inFlight.current = null;
          setPositions(layoutTree(snapshot()));
        };
        worker.current = w;
      } catch {
        worker.current = null;
      }
    }
    function send() {
      pending.current = false;
      const w = worker.current;
      if (!w) {
        setPositions(layoutTree(snapshot()));
        return;
      }
      const job = ++jobs.current;
      inFlight.current = job;
      w.postMessage({ job, nodes: snapshot() });
    }
    if (nodesRef.current.length === 0) {
      setPositions(new Map());
      return;
    }
    if (inFlight.current !== null) pending.current = true;
    else send();
  }, [shapeKey]);

  return positions;
}
