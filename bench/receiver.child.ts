import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from './measure';

/**
 * The loopback receiver every scenario posts to, run in its own process so that answering requests
 * does not eat the event loop being measured. Answers 200 `{}` with keep-alive; counts requests and,
 * when asked, the delay from the envelope's `timestamp` (event created) to arrival.
 */
type Command = { cmd: 'reset'; trackLatency: boolean } | { cmd: 'stats' };

let count = 0;
let trackLatency = false;
let latencies: number[] = [];

const ANSWER = Buffer.from('{}');

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    count++;
    if (trackLatency) {
      const at = Date.now();
      const sent = Date.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')).timestamp);
      if (Number.isFinite(sent)) latencies.push(at - sent);
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length });
    res.end(ANSWER);
  });
});

const percentileOrNull = (sorted: number[], p: number) => (sorted.length ? percentile(sorted, p) : null);

process.on('message', (m: Command) => {
  if (m.cmd === 'reset') {
    count = 0;
    latencies = [];
    trackLatency = m.trackLatency;
    process.send!({ cmd: 'reset' });
  } else {
    const sorted = [...latencies].sort((a, b) => a - b);
    process.send!({ cmd: 'stats', count, samples: sorted.length, p50: percentileOrNull(sorted, 50), p95: percentileOrNull(sorted, 95), p99: percentileOrNull(sorted, 99), max: sorted.at(-1) ?? null });
  }
});
// The parent going away ends the receiver too: no orphan listening on loopback.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send!({ cmd: 'listening', port: (server.address() as AddressInfo).port }));
