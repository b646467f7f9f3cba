// Runs the dagre layout off the main thread: a 1,000-node tree takes about a second to lay out.
import type { LayoutReply, LayoutRequest } from './treeGeometry';
import { layoutTree } from './treeLayout';

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { key, nodes } = event.data;
  const reply: LayoutReply = { key, positions: [...layoutTree(nodes)] };
  self.postMessage(reply);
};
