// A TCP proxy in front of a test server that can go down for a while, as a real outage looks to a
// client: the connections open at that moment are reset (a request on its way breaks off), and
// until it is back nothing listens on its port (a new connection is refused). Then it listens on
// the same port again, so clients find it where it was.

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

export class OutageProxy {
  /** Outages so far, each with when it began and ended (ms since the epoch; `end` unset while down). */
  readonly outages: { start: number; end?: number }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private port = 0;

  private constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // Either side breaking off takes the other with it, as a reset would.
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  }

  /** A proxy on a free port of 127.0.0.1 to the server on `targetPort`. */
  static async start(targetPort: number): Promise<OutageProxy> {
    const proxy = new OutageProxy(targetPort);
    await proxy.listen(0);
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** `http://127.0.0.1:PORT`. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Goes down at once for `ms`; resolves once it is listening again. */
  async outage(ms: number): Promise<void> {
    const record: { start: number; end?: number } = { start: Date.now() };
    this.outages.push(record);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.resetAndDestroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.listen(this.port);
    record.end = Date.now();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }
}
