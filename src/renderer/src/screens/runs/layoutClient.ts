// The page's side of the layout worker: one layout in flight at a time, always converging to the
// latest node set asked for; each finished layout is handed over as it arrives, so a growing tree
// shows it grow. Where the worker cannot start, it lays out on the main thread with the layout
// library loaded on demand, so the page's own chunks never include it.
import type { LayoutNode, LayoutReply, LayoutRequest, Positions } from './treeGeometry';

export class LayoutClient {
  private readonly onLayout: (positions: Positions) => void;
  private worker: Worker | null = null;
  private inFlight: LayoutRequest | null = null;
  private next: LayoutRequest | null = null;
  private disposed = false;

  constructor(onLayout: (positions: Positions) => void) {
    this.onLayout = onLayout;
    try {
      const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<LayoutReply>) =>
        this.finish(event.data.key, new Map(event.data.positions));
      worker.onerror = () => {
        // A worker that cannot start: lay out here instead, beginning with the job it had.
        worker.terminate();
        this.worker = null;
        if (this.inFlight) void this.layOutHere(this.inFlight);
      };
      this.worker = worker;
    } catch {
      // no module workers here: every layout on the main thread
    }
  }

  /** Lays out `nodes` (the node set `key`) once the layout in flight, if any, is done. */
  request(key: string, nodes: readonly LayoutNode[]): void {
    this.next = { key, nodes: nodes.map(({ id, parentId, level }) => ({ id, parentId, level })) };
    if (this.inFlight === null) this.sendNext();
  }

  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
  }

  private sendNext(): void {
    const job = this.next;
    this.next = null;
    this.inFlight = job;
    if (job === null) return;
    if (job.nodes.length === 0) this.finish(job.key, new Map());
    else if (this.worker) this.worker.postMessage(job);
    else void this.layOutHere(job);
  }

  private async layOutHere(job: LayoutRequest): Promise<void> {
    const { layoutTree } = await import('./treeLayout');
    this.finish(job.key, layoutTree(job.nodes));
  }

  private finish(key: string, positions: Positions): void {
    if (this.disposed || this.inFlight?.key !== key) return;
    this.inFlight = null;
    this.onLayout(positions);
    this.sendNext();
  }
}
