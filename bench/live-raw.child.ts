import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { WebSocketServer } from 'ws';

/**
 * The live baseline: a bare `ws` server in its own process (as Hookline is) that sends one frame to
 * every connected socket per round. The frame is the one Hookline sends for the bench's event, with
 * the round's send time as `sentAt`: no GraphQL, no pub/sub, no storage.
 */
type Command = { cmd: 'rounds'; frame: Record<string, any>; rounds: number; perSecond?: number } | { cmd: 'clients' };

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });

async function send(frame: Record<string, any>, rounds: number, perSecond?: number): Promise<void> {
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    if (perSecond) {
      const wait = t0 + (r * 1000) / perSecond - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    frame.payload.data.eventPublished.payload.sentAt = performance.timeOrigin + performance.now();
    // One serialisation per round, as a server that splices ids into a prepared frame would do.
    const data = Buffer.from(JSON.stringify(frame));
    for (const ws of wss.clients) ws.send(data, { binary: false });
    // Let the sockets flush between rounds, as any server that serves more than one round must.
    await tick();
  }
}

process.on('message', (m: Command) => {
  if (m.cmd === 'clients') process.send!({ cmd: 'clients', count: wss.clients.size });
  else send(m.frame, m.rounds, m.perSecond).then(() => process.send!({ cmd: 'rounds' }));
});
process.on('disconnect', () => process.exit(0));
wss.on('listening', () => process.send!({ cmd: 'listening', port: (wss.address() as AddressInfo).port }));
