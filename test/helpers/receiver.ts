import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it, body complete. `at` is Date.now() when the body had arrived. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/**
 * How the receiver answers one request. `delayMs` holds back the status line and headers;
 * `trickleMs` sends the body one byte at a time, that many ms apart. `destroy` drops the socket unanswered.
 */
export type Behaviour =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number; trickleMs?: number }
  | { destroy: true };

/** A real HTTP receiver on 127.0.0.1 whose answers can be scripted mid-test. */
export interface Receiver {
  /** http://127.0.0.1:port */
  url: string;
  /** Every request so far, in arrival order. */
  requests: ReceivedRequest[];
  /** Script answers: a queue of behaviours consumed in order, then `fallback`. */
  respond(...behaviours: Behaviour[]): void;
  /** Answer used once the scripted queue is empty. */
  setFallback(b: Behaviour): void;
  /** Resolves when at least n requests arrived; rejects after timeoutMs (@default 5_000) with what did arrive. */
  waitForRequests(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Stops the server, its pending answers and every socket, keep-alive ones included. */
  close(): Promise<void>;
}

/** Default answer: 200 with an empty JSON object. */
const DEFAULT_FALLBACK: Behaviour = { status: 200, body: '{}', headers: { 'content-type': 'application/json' } };

/** Starts a receiver on 127.0.0.1 and an ephemeral port. */
export async function startReceiver(opts?: { fallback?: Behaviour }): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const queue: Behaviour[] = [];
  let fallback = opts?.fallback ?? DEFAULT_FALLBACK;
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, b: Behaviour): void => {
    if ('destroy' in b) {
      req.socket.destroy();
      return;
    }
    const body = Buffer.from(b.body ?? '', 'utf8');
    const start = () => {
      if (res.destroyed) return;
      res.writeHead(b.status, { 'content-length': String(body.length), ...b.headers });
      if (!b.trickleMs || body.length === 0) {
        res.end(body);
        return;
      }
      res.flushHeaders();
      let i = 0;
      const step = () => {
        if (res.destroyed) return;
        res.write(body.subarray(i, i + 1));
        i++;
        if (i < body.length) later(b.trickleMs!, step);
        else res.end();
      };
      step();
    };
    if (b.delayMs) later(b.delayMs, start);
    else start();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      for (const wake of [...waiters]) wake();
      answer(req, res, queue.shift() ?? fallback);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond: (...behaviours) => void queue.push(...behaviours),
    setFallback: (b) => {
      fallback = b;
    },
    waitForRequests: (n, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        if (requests.length >= n) return resolve(requests.slice());
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
          reject(new Error(`receiver expected ${n} request(s) within ${timeoutMs} ms but got ${requests.length}: ${seen}`));
        }, timeoutMs);
        const check = () => {
          if (requests.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(requests.slice());
        };
        waiters.add(check);
      }),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
