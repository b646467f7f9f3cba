// A file server on 127.0.0.1 for model downloads: serves the files it is given by path (a hub's
// `/<owner>/<repo>/resolve/main/<file>` or any other), with byte ranges (RFC 9110: `Range:
// bytes=a-b` or `bytes=a-` answered 206 with `Content-Range: bytes a-b/total`), and faults the way
// real servers fail: a status instead of the file, a connection cut after some bytes, a length
// it cannot have. Every request is recorded with its Range header.
import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback.js';

export interface RecordedRequest {
  path: string;
  range?: string;
}

export interface Cut {
  path: string;
  /** Only range responses starting at this byte and longer than `after` are cut. */
  start: number;
  /** Bytes sent before the connection is destroyed. */
  after: number;
  /** How many responses to cut (then it serves normally); Infinity: every one. */
  times: number;
}

export class FakeGgufServer {
  readonly requests: RecordedRequest[] = [];
  readonly files = new Map<string, Buffer>();
  /** Answer this status (with a short text body) instead of the file. */
  readonly statuses = new Map<string, number>();
  /** Claim this total length in Content-Range and Content-Length (a file larger than any disk). */
  readonly claimedLength = new Map<string, number>();
  cuts: Cut[] = [];
  /** Bytes of body written per path, whole or cut. */
  readonly sent = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly baseURL: string,
  ) {}

  static async start(): Promise<FakeGgufServer> {
    let fake: FakeGgufServer | undefined;
    const server = createServer((req, res) => fake!.handle(req.url ?? '/', req.headers.range, res));
    const port = await listenOnLoopback(server);
    fake = new FakeGgufServer(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  private handle(url: string, range: string | undefined, res: import('node:http').ServerResponse): void {
    const path = decodeURIComponent(new URL(url, 'http://x').pathname);
    this.requests.push({ path, ...(range ? { range } : {}) });
    const status = this.statuses.get(path);
    const file = this.files.get(path);
    if (status !== undefined || !file) {
      const code = status ?? 404;
      res.writeHead(code, { 'content-type': 'text/plain' }).end(code === 404 ? 'Entry not found' : 'error');
      return;
    }
    const total = this.claimedLength.get(path) ?? file.length;
    const match = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    const start = match ? Number(match[1]) : 0;
    const end = match?.[2] ? Math.min(Number(match[2]), total - 1) : total - 1;
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
      return;
    }
    const headers = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      'content-length': end - start + 1,
      ...(match ? { 'content-range': `bytes ${start}-${end}/${total}` } : {}),
    };
    res.writeHead(match ? 206 : 200, headers);
    const body = file.subarray(start, end + 1);
    const cut =
      match && this.cuts.find((c) => c.path === path && c.start === start && c.after < body.length && c.times > 0);
    if (cut) {
      cut.times--;
      this.count(path, Math.min(cut.after, body.length));
      res.write(body.subarray(0, cut.after), () => res.socket?.destroy());
      return;
    }
    this.count(path, body.length);
    res.end(body);
  }

  private count(path: string, bytes: number): void {
    this.sent.set(path, (this.sent.get(path) ?? 0) + bytes);
  }

  /** The hub path of `hf:owner/repo/file`. */
  static hubPath(owner: string, repo: string, file: string): string {
    return `/${owner}/${repo}/resolve/main/${file}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
