// The search tree: nodes are prompt versions, edges the optimizer's rewrites (or carry-overs),
// levels as rows (treeLayout.ts, updated as nodes arrive), only what is in view drawn
// (TreeStage), a minimap and zoom buttons over it. Above it, a search box and, while the run runs
// and the user has moved the view, a Follow button; below, how the keyboard walks it.

import { type KeyboardEvent, type ReactNode, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { TreeNode } from '../../../../shared/studioApi';
import { findNodes } from './findNodes';
import { TreeControls } from './TreeControls';
import { TreeFind } from './TreeFind';
import { TreeMinimap } from './TreeMinimap';
import { KEYS_HINT_ID } from './TreeNodeCard';
import { TreeStage } from './TreeStage';
import { isNavKey, nextNodeId } from './treeNavigation';
import { useTreeLayout } from './useTreeLayout';
import { useTreeViewport } from './useTreeViewport';

interface Props {
  /** Every node so far, in the order they arrived (a list that only grows at its end). */
  nodes: TreeNode[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Enter on a node: select it and open the inspector on it. */
  onOpen: (id: string) => void;
  /** The run is running: the view follows its newest level. */
  running: boolean;
  /** More buttons for the bar above the tree. */
  tools?: ReactNode;
}

export function BeamTree({ nodes, selectedId, onSelect, onOpen, running, tools }: Props) {
  const { layout, version } = useTreeLayout(nodes);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const stableSelect = useCallback((id: string) => onSelectRef.current(id), []);

  // Pruned: out of the beam of a level that has one. Asked only for the nodes drawn, a level's
  // answer kept until the nodes change.
  const isPruned = useMemo(() => {
    const beamLevels = new Map<number, boolean>();
    return (node: TreeNode) => {
      if (node.inBeam) return false;
      let hasBeam = beamLevels.get(node.level);
      if (hasBeam === undefined) {
        hasBeam = layout.row(node.level).some((id) => nodes[layout.indexOf(id) ?? -1]?.inBeam === true);
        beamLevels.set(node.level, hasBeam);
      }
      return hasBeam;
    };
  }, [layout, nodes]);

  const [query, setQuery] = useState('');
  const typed = useDeferredValue(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version: the layout's order changed
  const matches = useMemo(
    () => findNodes(nodes, typed, (id) => layout.positionOf(id)),
    [nodes, typed, layout, version],
  );
  const matched = useMemo(() => new Set(matches), [matches]);

  const { container, pane, viewport, following, panBy, zoomBy, fit, centreOn, follow, reveal } = useTreeViewport(
    layout,
    version,
    running,
  );

  // The arrow keys move the selection from the focused card (and the focus with it, once the card
  // is drawn in view); Enter opens the inspector on it.
  const focusCard = (id: string) => {
    let tries = 0;
    const attempt = () => {
      const card = container.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"]`);
      card?.focus();
      if (document.activeElement !== card && ++tries < 20) requestAnimationFrame(attempt);
    };
    requestAnimationFrame(attempt);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const id = (event.target as HTMLElement).dataset.nodeId;
    if (!id) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      onOpen(id);
    } else if (isNavKey(event.key)) {
      event.preventDefault();
      const next = nextNodeId(layout, id, event.key);
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
        {layout.size === 0 ? (
          <p className="runs-muted beam-tree__empty">
            No nodes yet — the tree grows here as the run evaluates prompt versions.
          </p>
        ) : (
          <>
            <TreeStage
              layout={layout}
              version={version}
              nodes={nodes}
              viewport={viewport}
              pane={pane}
              selectedId={selectedId}
              matched={matched}
              isPruned={isPruned}
              onSelect={stableSelect}
              panBy={panBy}
              zoomBy={zoomBy}
            />
            <TreeControls zoomBy={zoomBy} fit={fit} />
            <TreeMinimap
              layout={layout}
              version={version}
              nodes={nodes}
              viewport={viewport}
              pane={pane}
              isPruned={isPruned}
              onCentre={centreOn}
            />
          </>
        )}
      </div>
      <p id={KEYS_HINT_ID} className="runs-muted beam-tree__keys">
        Keyboard: arrow keys move between nodes (up: parent, down: first child, left and right: the level's neighbours);
        Enter opens the inspector.
      </p>
    </section>
  );
}
