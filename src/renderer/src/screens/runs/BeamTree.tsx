// The search tree: nodes are prompt versions, edges the optimizer's rewrites (or carry-overs),
// laid out top-down by dagre. Positions are computed only when the node set changes; flow nodes
// are rebuilt only for tree nodes that changed, so memoised cards skip the rest.

import { Background, Controls, type Edge, ReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { useEffect, useMemo, useRef } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { type TreeFlowNode, TreeNodeCard } from './TreeNodeCard';
import { NODE_HEIGHT, NODE_WIDTH, type Positions } from './treeGeometry';
import { useTreeLayout } from './useTreeLayout';

const NODE_TYPES = { drpo: TreeNodeCard };
const PRO_OPTIONS = { hideAttribution: true };

interface Props {
  nodes: TreeNode[];
  shapeKey: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

interface CacheEntry {
  node: TreeNode;
  x: number;
  y: number;
  pruned: boolean;
  selected: boolean;
  flow: TreeFlowNode;
}

export function BeamTree({ nodes, shapeKey, selectedId, onSelect }: Props) {
  // The layout depends on the node set only; `shapeKey` changes exactly when a node is added.
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const positions = useTreeLayout(nodes, shapeKey);

  // Edges between laid-out nodes; they change only with the layout.
  const edges = useMemo<Edge[]>(() => {
    return nodesRef.current
      .filter((n) => n.parentId !== null && positions.has(n.parentId) && positions.has(n.id))
      .map((n) => ({
        id: `${n.parentId}->${n.id}`,
        source: n.parentId!,
        target: n.id,
        label: n.action === 'carry-over' ? 'carry-over' : 'rewrite',
        className: `tree-edge tree-edge--${n.action}`,
        focusable: false,
        selectable: false,
      }));
  }, [positions]);

  const cache = useRef(new Map<string, CacheEntry>());
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const stableSelect = useMemo(() => (id: string) => onSelectRef.current(id), []);

  const flowNodes = useMemo<TreeFlowNode[]>(() => {
    const beamLevels = new Set<number>();
    for (const n of nodes) if (n.inBeam) beamLevels.add(n.level);
    const next = new Map<string, CacheEntry>();
    const result: TreeFlowNode[] = [];
    for (const node of nodes) {
      const pos = positions.get(node.id);
      // A node added since the last layout appears with the next one.
      if (!pos) continue;
      const pruned = !node.inBeam && beamLevels.has(node.level);
      const selected = node.id === selectedId;
      const old = cache.current.get(node.id);
      const entry =
        old &&
        old.node === node &&
        old.x === pos.x &&
        old.y === pos.y &&
        old.pruned === pruned &&
        old.selected === selected
          ? old
          : {
              node,
              x: pos.x,
              y: pos.y,
              pruned,
              selected,
              flow: {
                id: node.id,
                type: 'drpo' as const,
                position: { x: pos.x, y: pos.y },
                data: { node, pruned, selected, onSelect: stableSelect },
                draggable: false,
                connectable: false,
                selectable: false,
              },
            };
      next.set(node.id, entry);
      result.push(entry.flow);
    }
    cache.current = next;
    return result;
  }, [nodes, positions, selectedId, stableSelect]);

  // Follow the growing tree until the user pans or zooms: fit it when it fits legibly, else
  // show the root's region at a readable zoom.
  const flow = useRef<ReactFlowInstance<TreeFlowNode, Edge> | null>(null);
  const container = useRef<HTMLElement>(null);
  // The pane's size, kept by a ResizeObserver: reading clientWidth after each layout would force a reflow.
  const paneSize = useRef({ width: 0, height: 0 });
  useEffect(() => {
    const box = container.current;
    if (!box) return;
    paneSize.current = { width: box.clientWidth, height: box.clientHeight };
    const observer = new ResizeObserver(([entry]) => {
      if (entry) paneSize.current = { width: entry.contentRect.width, height: entry.contentRect.height };
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  const userMoved = useRef(false);
  const follow = useMemo(
    () => (positions: Positions) => {
      const instance = flow.current;
      const box = container.current;
      if (!instance || !box || positions.size === 0 || userMoved.current) return;
      let minX = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const p of positions.values()) {
        minX = Math.min(minX, p.x);
        maxX = Math.max(maxX, p.x + NODE_WIDTH);
        maxY = Math.max(maxY, p.y + NODE_HEIGHT);
      }
      const { width, height } = paneSize.current;
      const fitZoom = Math.min(width / (maxX - minX + 40), height / (maxY + 40), 1.25);
      if (fitZoom >= 0.45) void instance.fitView({ padding: 0.15, maxZoom: 1.25 });
      else {
        const root = nodesRef.current.find((n) => n.parentId === null);
        const rootPos = (root && positions.get(root.id)) ?? { x: minX, y: 0 };
        const zoom = 0.6;
        void instance.setViewport({
          x: width / 2 - (rootPos.x + NODE_WIDTH / 2) * zoom,
          y: 16 - rootPos.y * zoom,
          zoom,
        });
      }
    },
    [],
  );
  useEffect(() => {
    // After React Flow has the new nodes.
    const frame = requestAnimationFrame(() => follow(positions));
    return () => cancelAnimationFrame(frame);
  }, [positions, follow]);

  return (
    <section className="beam-tree" data-testid="beam-tree" aria-label="Search tree" ref={container}>
      {flowNodes.length === 0 ? (
        <p className="runs-muted beam-tree__empty">
          {nodes.length === 0
            ? 'No nodes yet — the tree grows here as the run evaluates prompt versions.'
            : 'Laying out the tree…'}
        </p>
      ) : (
        <ReactFlow<TreeFlowNode, Edge>
          nodes={flowNodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          onlyRenderVisibleElements
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          onNodeClick={(_, node) => stableSelect(node.id)}
          onInit={(instance) => {
            flow.current = instance;
            userMoved.current = false;
            follow(positions);
          }}
          onMoveStart={(event) => {
            if (event) userMoved.current = true;
          }}
          minZoom={0.005}
          proOptions={PRO_OPTIONS}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </section>
  );
}
