import { once } from 'node:events';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { CLOSE_TOO_SLOW, WS_MAX_BUFFERED_BYTES } from '../../src/http/ws';
import { startHookline, TestAccount, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { collect, wsClient } from '../helpers/ws-client';

const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const EVENTS = `subscription($t: [String!], $f: JSONObject) { eventPublished(types: $t, filters: $f) { id type payload } }`;

let h: TestHookline;
const clients: Client[] = [];
const sockets: WebSocket[] = [];
const client = (token: string) => {
  const c = wsClient(h.url, token);
  clients.push(c);
  return c;
};
/** Groups and subscribers the multiplexer serves. */
const served = () => {
  if (!h.hookline.liveHub) throw new Error('the live multiplexer is not running');
  return h.hookline.liveHub.size();
};

/** A bare graphql-transport-ws socket past connection_ack: frames as text, exactly as sent. */
async function rawSocket(token: string) {
  const ws = new WebSocket(`${h.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  sockets.push(ws);
  const frames: { text: string; at: number }[] = [];
  ws.on('message', (data) => frames.push({ text: String(data), at: Date.now() }));
  const closed = once(ws, 'close').then(([code]) => code as number);
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await pollUntil(() => frames.some((f) => JSON.parse(f.text).type === 'connection_ack'), { what: 'connection_ack' });
  const subscribe = (id: string, query: string, variables?: Record<string, unknown>) => ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  const nexts = (id: string) => frames.map((f) => ({ ...f, msg: JSON.parse(f.text) })).filter((f) => f.msg.id === id && f.msg.type === 'next');
  return { ws, frames, closed, subscribe, nexts };
}

beforeAll(async () => {
  h = await startHookline();
});
afterEach(() => {
  jest.restoreAllMocks();
});
afterAll(async () => {
  sockets.forEach((ws) => ws.terminate());
  await Promise.all(clients.map((c) => c.dispose()));
  await h?.stop();
});

describe('a multiplexed group', () => {
  let other: TestAccount;
  beforeAll(async () => {
    other = await h.newAccount('other');
  });

  it("honours each subscriber's own filters, account and unsubscribe", async () => {
    const before = served();
    const vars = { t: ['call.failed'], f: { direction: 'outbound' } };
    // Three subscribers of one group, one with other filters, one of another account with the same document.
    const group = [collect(client(h.apiKey), EVENTS, vars), collect(client(h.apiKey), EVENTS, vars), collect(client(h.apiKey), EVENTS, vars)];
    const inbound = collect(client(h.apiKey), EVENTS, { t: ['call.failed'], f: { direction: 'inbound' } });
    const stranger = collect(client(other.apiKey), EVENTS, vars);
    await pollUntil(served, { until: (s) => s.subscribers === before.subscribers + 5, what: 'five subscribers served' });
    expect(served().groups).toBe(before.groups + 3);

    const publish = async (direction: string, token = h.apiKey) => (await h.ok(PUBLISH, { i: { type: 'call.failed', payload: { direction } } }, token)).publishEvent.id as string;
    const out1 = await publish('outbound');
    const in1 = await publish('inbound');
    const strangerOut = await publish('outbound', other.apiKey);
    await pollUntil(() => [...group, inbound, stranger].every((s) => s.results.length >= 1), { what: 'every subscriber heard its event' });

    group[0].dispose();
    await pollUntil(served, { until: (s) => s.subscribers === before.subscribers + 4, what: 'the unsubscribed one to leave its group' });
    const out2 = await publish('outbound');
    const last = await publish('inbound');
    await pollUntil(() => inbound.results.length >= 2 && group[1].results.length >= 2 && group[2].results.length >= 2, { what: 'the second round' });

    const ids = (s: (typeof group)[number]) => s.results.map((r) => r.data.eventPublished.id);
    expect(ids(group[0])).toEqual([out1]);
    expect(ids(group[1])).toEqual([out1, out2]);
    expect(ids(group[2])).toEqual([out1, out2]);
    expect(ids(inbound)).toEqual([in1, last]);
    expect(ids(stranger)).toEqual([strangerOut]);
    [...group, inbound, stranger].forEach((s) => s.dispose());
  });

  it('sends exactly the frame graphql itself produces, with each subscription id spliced in', async () => {
    const s = await rawSocket(h.apiKey);
    const selection = `eventPublished(types: ["sms.sent"]) { id type payload occurredAt idempotencyKey __typename }`;
    s.subscribe('multiplexed', `subscription { ${selection} }`);
    // A root fragment is left to graphql's own subscribe: the reference.
    s.subscribe('reference', `subscription { ...F } fragment F on Subscription { ${selection} }`);
    const publish = () => h.ok(PUBLISH, { i: { type: 'sms.sent', payload: { body: 'hé "quoted" ✓', n: 1.5, nested: { a: [1, null] } }, idempotencyKey: `k-${Math.random()}` } });
    await pollUntil(async () => (await publish(), s.nexts('multiplexed').length && s.nexts('reference').length), { what: 'both subscriptions live', intervalMs: 200 });
    await publish();
    await pollUntil(() => s.nexts('multiplexed').length === s.nexts('reference').length && s.nexts('reference').length >= 2, { what: 'both heard the same events' });
    const m = s.nexts('multiplexed').map((f) => f.text.replace('"id":"multiplexed"', '"id":"X"'));
    const r = s.nexts('reference').map((f) => f.text.replace('"id":"reference"', '"id":"X"'));
    expect(m).toEqual(r);
    expect(JSON.parse(m[0])).toMatchObject({ type: 'next', payload: { data: { eventPublished: { type: 'sms.sent', __typename: 'Event' } } } });
    s.ws.close();
  });

  it('cuts off one slow socket with 4008 without delaying the rest of its group', async () => {
    const acct = await h.newAccount('slow-group');
    const query = `subscription { eventPublished(types: ["sms.received"]) { id payload } }`;
    const healthy = await Promise.all([1, 2, 3].map(() => rawSocket(acct.apiKey)));
    const slow = await rawSocket(acct.apiKey);
    for (const s of [...healthy, slow]) s.subscribe('1', query);
    const publish = (payload: Record<string, unknown>) => h.ok(PUBLISH, { i: { type: 'sms.received', payload } }, acct.apiKey);
    await pollUntil(async () => (await publish({ marker: true }), [...healthy, slow].every((s) => s.nexts('1').length > 0)), { what: 'all live', intervalMs: 200 });
    expect(served().groups).toBeGreaterThan(0);
    // The server's own sockets are ws instances of this module registry: record the closes they make.
    const closes = jest.spyOn(WebSocket.prototype, 'close');
    const serverCloses = () => closes.mock.calls.filter((_args, i) => (closes.mock.contexts[i] as any)._isServer);
    (slow.ws as any)._socket.pause();

    const big = 'x'.repeat(60 * 1024); // under the 64 KiB payload limit
    const published: { id: string; at: number }[] = [];
    // Past the 4 MiB buffer plus what the kernel buffers on both ends of a loopback connection.
    for (let i = 0; i < 600 && serverCloses().length === 0; i++) {
      const { publishEvent } = await publish({ i, big });
      published.push({ id: publishEvent.id, at: Date.now() });
    }
    expect(serverCloses()).toEqual([[CLOSE_TOO_SLOW, expect.stringMatching(/too slow/i)]]);
    expect(published.length * big.length).toBeGreaterThan(WS_MAX_BUFFERED_BYTES);
    (slow.ws as any)._socket.resume();
    expect([CLOSE_TOO_SLOW, 1006]).toContain(await slow.closed);
    const flood = (s: (typeof healthy)[number]) => s.nexts('1').filter((f) => !f.msg.payload.data.eventPublished.payload.marker);
    for (const s of healthy) {
      await pollUntil(() => flood(s).length, { until: (n) => n >= published.length, what: 'every event on a healthy socket' });
      const got = flood(s);
      expect(got.map((f) => f.msg.payload.data.eventPublished.id)).toEqual(published.map((p) => p.id));
      // Each arrived soon after its publish returned, while the slow one was filling up.
      const delays = got.map((f, i) => f.at - published[i].at);
      expect(Math.max(...delays)).toBeLessThan(1_000);
    }
  });
});
