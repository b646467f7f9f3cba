// A model hub on 127.0.0.1 in huggingface.co's layout, `/<owner>/<name>/resolve/main/<file>`,
// serving one local model folder for every model id (404 for a file the folder lacks). `fault`
// breaks one file on purpose the way real connections and servers fail; `requests` records every
// path asked for.
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { listenOnLoopback } from './listenOnLoopback.js';

export type HubFault =
  /** The connection is cut halfway through the file (its full length announced). */
  | 'cut'
  /** Half the file, then the server closes cleanly: fewer bytes than Content-Length said. */
  | 'short'
  /** 404 Not Found. */
  | 'missing'
  /** A 200 with an HTML page (a captive portal, a login wall). */
  | 'html'
  /** The same HTML page labelled application/octet-stream. */
  | 'html-as-binary'
  /** A file of the right name and a consistent length whose bytes are garbage. */
  | 'garbage'
  /** Announces 3 GiB. */
  | 'huge'
  /** Half the file, then nothing more (until the server closes). */
  | 'stall';

export class FakeHubServer {
  readonly requests: string[] = [];
  fault: { file: string; kind: HubFault } | undefined;

  private constructor(
    private readonly server: Server,
    readonly baseURL: string,
  ) {}

  static async start(modelDir: string): Promise<FakeHubServer> {
    let hub: FakeHubServer | undefined;
    const server = createServer((req, res) => {
      const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      hub!.requests.push(url);
      const match = /^\/[\w.-]+\/[\w.-]+\/resolve\/main\/(.+)$/.exec(url);
      const file = match?.[1];
      const full = file && !file.split('/').includes('..') ? path.join(modelDir, file) : undefined;
      const fault = hub!.fault?.file === file ? hub!.fault?.kind : undefined;
      if (!full || !statSync(full, { throwIfNoEntry: false })?.isFile() || fault === 'missing') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
        return;
      }
      const body = readFileSync(full);
      const page = Buffer.from('<!DOCTYPE html><html><body>Sign in to continue</body></html>');
      switch (fault) {
        case 'cut':
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
          res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
          return;
        case 'short':
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': body.length,
            connection: 'close',
          });
          res.write(body.subarray(0, body.length >> 1), () => res.socket?.end());
          return;
        case 'html':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
          return;
        case 'html-as-binary':
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(page);
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(body.length, 7));
          return;
        case 'stall':
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
          res.write(body.subarray(0, body.length >> 1));
          return;
        case 'huge':
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 3 * 1024 ** 3 });
          res.write(body, () => res.socket?.destroy());
          return;
        default:
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
      }
    });
    const port = await listenOnLoopback(server);
    hub = new FakeHubServer(server, `http://127.0.0.1:${port}`);
    return hub;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
