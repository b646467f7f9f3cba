// The search tree: nodes are prompt versions, edges the optimizer's rewrites (or carry-overs),
// laid out top-down by dagre. Positions are computed only when the node set changes; flow nodes
// are rebuilt only for tree nodes that changed, so memoised cards skip the rest. Above it, a
// search box and, while the run runs and the user has moved the view, a Follow button.

import { Background, Controls, type Edge, ReactFlow } from '@xyflow/react';
import { type KeyboardEvent, type ReactNode, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { findNodes } from './findNodes';
import { TreeFind } from './TreeFind';
import { KEYS_HINT_ID, type TreeFlowNode, TreeNodeCard } from './TreeNodeCard';
import { indexTree, isNavKey, nextNodeId } from './treeNavigation';
import { useTreeLayout } from './useTreeLayout';
import { useTreeViewport } from './useTreeViewport';

const NODE_TYPES = { drpo: TreeNodeCard };
const PRO_OPTIONS = { hideAttribution: true };

interface Props {
  nodes: TreeNode[];
  shapeKey: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Enter on a node: select it and open the inspector on it. */
  onOpen: (id: string) => void;
  /** The run is running: the view follows its newest level. */
  running: boolean;
  /** More buttons for the bar above the tree. */
  tools?: ReactNode;
}

interface CacheEntry {
  node: TreeNode;
  x: number;
  y: number;
  pruned: boolean;
  selected: boolean;
  matched: boolean;
  flow: TreeFlowNode;
}

export function BeamTree({ nodes, shapeKey, selectedId, onSelect, onOpen, running, tools }: Props) {
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

  const index = useMemo(() => indexTree(nodesRef.current, positions), [positions]);
  const [query, setQuery] = useState('');
  const typed = useDeferredValue(query);
  const matches = useMemo(() => findNodes(nodes, typed, index.order), [nodes, typed, index]);
  const matched = useMemo(() => new Set(matches), [matches]);

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
      const isMatch = matched.has(node.id);
      const old = cache.current.get(node.id);
      const entry =
        old &&
        old.node === node &&
        old.x === pos.x &&
        old.y === pos.y &&
        old.pruned === pruned &&
        old.selected === selected &&
        old.matched === isMatch
          ? old
          : {
              node,
              x: pos.x,
              y: pos.y,
              pruned,
              selected,
              matched: isMatch,
              flow: {
                id: node.id,
                type: 'drpo' as const,
                position: { x: pos.x, y: pos.y },
                data: { node, pruned, selected, matched: isMatch, onSelect: stableSelect },
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
  }, [nodes, positions, selectedId, matched, stableSelect]);

  const { container, following, onInit, onMoveStart, follow, reveal } = useTreeViewport(positions, index, running);

  // The arrow keys move the selection from the focused card (and the focus with it, once the card
  // can take it: React Flow draws only the cards in view, and hides a changed one until measured);
  // Enter opens the inspector on it.
  const focusCard = (id: string) => {
    let tries = 0;
    const attempt = () => {
      const card = container.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"] .tree-node`);
      card?.focus();
      if (document.activeElement !== card && ++tries < 20) requestAnimationFrame(attempt);
    };
    requestAnimationFrame(attempt);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const id = target.classList.contains('tree-node')
      ? target.closest('.react-flow__node')?.getAttribute('data-id')
      : null;
    if (!id) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      onOpen(id);
    } else if (isNavKey(event.key)) {
      event.preventDefault();
      const next = nextNodeId(index, id, event.key);
      if (next === null) return;
      stableSelect(next);
      reveal(next, false);
      focusCard(next);
    }
  };

  const go = (id: string) => {
    stableSelect(id);
    reveal(id, true);
  };

  return (
    <section className="beam-tree-panel" aria-label="Search tree">
      <div className="beam-tree__bar">
        <TreeFind query={query} onQuery={setQuery} matches={matches} onGo={go} />
        {running && !following && (
          <button type="button" onClick={follow} data-testid="tree-follow" title="Follow the newest level again">
            Follow
          </button>
        )}
        <span className="beam-tree__tools">{tools}</span>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys handled for the focused card inside */}
      <div className="beam-tree" data-testid="beam-tree" ref={container} onKeyDown={onKeyDown}>
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
            onInit={onInit}
            onMoveStart={onMoveStart}
            minZoom={0.005}
            proOptions={PRO_OPTIONS}
          >
            <Background gap={24} size={1} />
            <Controls showInteractive={false} />
          </ReactFlow>
        )}
      </div>
      <p id={KEYS_HINT_ID} className="runs-muted beam-tree__keys">
        Keyboard: arrow keys move between nodes (up: parent, down: first child, left and right: the level's neighbours);
        Enter opens the inspector.
      </p>
    </section>
  );
}
