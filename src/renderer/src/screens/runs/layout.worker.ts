// Runs the dagre layout off the main thread: a 1,000-node tree takes about a second to lay out.
import { type LayoutNode, layoutTree } from './treeLayout';

interface Request {
  job: number;
  nodes: LayoutNode[];
}

self.onmessage = (event: MessageEvent<Request>) => {
  const { job, nodes } = event.data;
  const positions = layoutTree(nodes);
  self.postMessage({ job, positions: [...positions] });
};
