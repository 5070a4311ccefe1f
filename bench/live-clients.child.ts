import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/**
 * Live-bench subscribers, in their own process so that receiving does not share the event loop of
 * what is measured. Opens `count` sockets, either as graphql-transport-ws subscribers of Hookline
 * (connection_init, then one `subscribe`) or as bare sockets of the raw ws server; counts every
 * `next` frame per socket and the delay from the `sentAt` the publisher put in the payload to arrival.
 */
type Command =
  | { cmd: 'connect'; url: string; count: number; token?: string; query?: string; sourceHosts: number }
  | { cmd: 'reset' }
  | { cmd: 'stats' }
  | { cmd: 'close' };

/** Sockets opening at once. @default 200 */
const OPEN_CONCURRENCY = 200;

const now = () => performance.timeOrigin + performance.now();
let sockets: WebSocket[] = [];
let perSocket: number[] = [];
let latencies: number[] = [];
let received = 0;
let lastAt = 0;
let failures: string[] = [];

function onFrame(i: number, data: WebSocket.RawData): void {
  const at = now();
  const m = JSON.parse(String(data));
  if (m.type === 'connection_ack' || m.type === 'pong' || m.type === 'ping') return;
  if (m.type !== 'next' || m.payload?.errors) {
    if (failures.length < 5) failures.push(String(data).slice(0, 300));
    return;
  }
  received++;
  perSocket[i]++;
  lastAt = at;
  const sentAt = m.payload.data?.eventPublished?.payload?.sentAt;
  if (typeof sentAt === 'number') latencies.push(at - sentAt);
}

/** One socket; resolves once it is subscribed (graphql) or open (raw). */
function open(c: Extract<Command, { cmd: 'connect' }>, i: number): Promise<void> {
  // Several loopback source addresses, so that 10,000 sockets never run out of ephemeral ports.
  const localAddress = `127.0.0.${2 + (i % c.sourceHosts)}`;
  const graphql = c.query !== undefined;
  const ws = new WebSocket(c.url, graphql ? 'graphql-transport-ws' : undefined, { localAddress, perMessageDeflate: false });
  sockets[i] = ws;
  perSocket[i] = 0;
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('close', (code) => {
      if (failures.length < 5 && code !== 1000 && code !== 1005) failures.push(`socket ${i} closed with ${code}`);
    });
    if (!graphql) {
      ws.on('message', (d) => onFrame(i, d));
      ws.once('open', () => resolve());
      return;
    }
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${c.token}` } })));
    ws.once('message', (d) => {
      if (JSON.parse(String(d)).type !== 'connection_ack') return reject(new Error(`no connection_ack: ${String(d)}`));
      ws.on('message', (m) => onFrame(i, m));
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: c.query } }));
      resolve();
    });
  });
}

async function connect(c: Extract<Command, { cmd: 'connect' }>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < c.count) await open(c, next++);
  };
  await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, c.count) }, lane));
}

async function close(): Promise<void> {
  const closed = sockets.map((ws) => (ws.readyState === WebSocket.CLOSED ? undefined : new Promise((r) => ws.once('close', r))));
  for (const ws of sockets) ws.close(1000);
  await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 5_000))]);
  for (const ws of sockets) ws.terminate();
  sockets = [];
  perSocket = [];
}

process.on('message', (m: Command) => {
  const reply = (body: Record<string, unknown>) => process.send!({ cmd: m.cmd, ...body });
  const fail = (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) });
  switch (m.cmd) {
    case 'connect':
      connect(m).then(() => reply({}), fail);
      break;
    case 'reset':
      received = 0;
      lastAt = 0;
      latencies = [];
      failures = [];
      perSocket.fill(0);
      reply({});
      break;
    case 'stats':
      reply({ received, lastAt, latencies, failures, minPerSocket: Math.min(...perSocket), maxPerSocket: Math.max(...perSocket) });
      break;
    case 'close':
      close().then(() => reply({}), fail);
      break;
  }
});
// The parent going away ends the clients too.
process.on('disconnect', () => process.exit(0));
process.send!({ cmd: 'started' });
