import { once } from 'node:events';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { CLOSE_TOO_SLOW, WS_MAX_BUFFERED_BYTES } from '../../src/http/ws';
import { startHookline, TestAccount, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';
import { collect, wsClient } from '../helpers/ws-client';

const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id } }`;
const EVENTS = `subscription($t: [String!], $f: JSONObject) { eventPublished(types: $t, filters: $f) { id type payload } }`;
const DELIVERIES = `subscription($w: ID, $e: ID) { deliveryUpdated(webhookId: $w, eventId: $e) { id eventId webhookId status attemptCount nextAttemptAt lastResponseStatus } }`;
const CREATE_WEBHOOK = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const BY_EVENT = `query($e: ID!) { deliveries(eventId: $e) { edges { node { id webhookId status } } } }`;

type Sub = ReturnType<typeof collect<any>>;
/** Anything that counts what it received and can wait (with a deadline) for more. */
type Listener = { results: unknown[]; error?: unknown; next(n: number, timeoutMs: number): Promise<unknown> };
type Ev = { type: string; payload: Record<string, unknown> };

/**
 * Runs `mark` (which must cause a message every sub hears) until each sub has one: then they are all
 * live. Returns early when one ended in an error, for the caller to assert on.
 */
async function untilLive(subs: Listener[], mark: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (subs.some((s) => s.results.length === 0) && !subs.some((s) => s.error)) {
    if (Date.now() > deadline) throw new Error(`subscriptions never became live: ${subs.map((s) => s.results.length)}`);
    await mark();
    await Promise.all(subs.map((s) => s.next(1, 300).catch(() => undefined)));
  }
}

/** The errors a subscription ends with, whether sent as an `error` message or as a result with errors. */
function errorsOf(client: Client, query: string, variables?: Record<string, unknown>, timeoutMs = 5_000): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no error within ${timeoutMs} ms for ${query}`)), timeoutMs);
    const dispose = client.subscribe({ query, variables }, {
      next: (r) => {
        clearTimeout(t);
        dispose();
        r.errors ? resolve(r.errors as any[]) : reject(new Error(`expected an error, got ${JSON.stringify(r)}`));
      },
      error: (e) => {
        clearTimeout(t);
        Array.isArray(e) ? resolve(e) : reject(e);
      },
      complete: () => undefined,
    });
  });
}

const rawSockets: WebSocket[] = [];

/** A bare graphql-transport-ws socket: what the graphql-ws client hides (close codes, a reader that stops). */
function rawSocket(url: string) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  rawSockets.push(ws);
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = once(ws, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
  return { ws, messages, closed, send: (m: object) => ws.send(JSON.stringify(m)) };
}

/** A bare socket past connection_ack, authenticated with `token`. */
async function acknowledgedSocket(url: string, token: string) {
  const s = rawSocket(url);
  await once(s.ws, 'open');
  s.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  await pollUntil(() => s.messages.some((m) => m.type === 'connection_ack'), { what: 'connection_ack' });
  return s;
}

/** The close code a socket gets after sending connection_init with these params (none: sends nothing). */
async function closeCodeFor(url: string, params?: Record<string, unknown>) {
  const s = rawSocket(url);
  await once(s.ws, 'open');
  if (params) s.send({ type: 'connection_init', payload: params });
  return s.closed;
}

let h: TestHookline;
const clients: Client[] = [];
const receivers: Receiver[] = [];
const client = (token: string) => {
  const c = wsClient(h.url, token);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  h = await startHookline({ env: { HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_POLL_INTERVAL_MS: '50' } });
});
afterEach(() => {
  jest.restoreAllMocks();
});
afterAll(async () => {
  rawSockets.forEach((ws) => ws.terminate());
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all(receivers.map((r) => r.close()));
  await h?.stop();
});

describe('who may subscribe', () => {
  it('closes a socket with 4403 when connection_init carries no key, or a wrong one', async () => {
    await expect(closeCodeFor(h.url, {})).resolves.toMatchObject({ code: 4403 });
    await expect(closeCodeFor(h.url, { authorization: 'Bearer hk_live_wrong' })).resolves.toMatchObject({ code: 4403 });
  });

  it('closes a socket with 4408 when no connection_init comes within 3 s', async () => {
    const started = Date.now();
    await expect(closeCodeFor(h.url)).resolves.toMatchObject({ code: 4408 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
  });

  it('refuses a key once it is revoked', async () => {
    const { createApiKey } = await h.ok(`mutation { createApiKey(name: "ws") { token apiKey { id } } }`);
    (await acknowledgedSocket(h.url, createApiKey.token)).ws.close();
    await h.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    await expect(closeCodeFor(h.url, { authorization: `Bearer ${createApiKey.token}` })).resolves.toMatchObject({ code: 4403 });
  });

  it('lets an open socket start no new subscription once its key is revoked', async () => {
    const { createApiKey } = await h.ok(`mutation { createApiKey(name: "ws-open") { token apiKey { id } } }`);
    const open = await acknowledgedSocket(h.url, createApiKey.token);
    await h.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });
    open.send({ id: 'after-revoke', type: 'subscribe', payload: { query: `subscription { eventPublished { id } }` } });
    let closedWith: number | undefined;
    void open.closed.then((c) => (closedWith = c.code));
    // Refused means an error for that id or the socket closed as Forbidden; an event streaming to it is the failure.
    const outcome = await pollUntil(
      async () => {
        await h.ok(PUBLISH, { i: { type: 'sms.sent', payload: {} } });
        return closedWith !== undefined ? { closed: closedWith } : open.messages.find((m) => m.id === 'after-revoke');
      },
      { intervalMs: 100, timeoutMs: 5_000, what: 'an answer to the subscription' },
    );
    const unauthenticated = expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) });
    expect(outcome).toEqual(outcome.closed !== undefined ? { closed: 4403 } : { id: 'after-revoke', type: 'error', payload: [unauthenticated] });
    open.ws.close();
  });
});

describe('eventPublished matches exactly like webhooks', () => {
  let other: TestAccount;
  beforeAll(async () => {
    other = await h.newAccount('other');
    await h.ok(`mutation { upsertCampaign(input: { id: "camp_conv", name: "Conv", conversionOutcomes: ["sale", "booked_callback"] }) { id } }`);
  });
  const call = (type: string, payload: Record<string, unknown>): Ev => ({ type, payload });
  const CASES: { promise: string; types?: string[]; filters?: Record<string, unknown>; match: Ev[]; miss: Ev[] }[] = [
    {
      promise: 'a sub-event matches only its disposition',
      types: ['call.completed.booked_callback'],
      match: [call('call.completed', { disposition: 'booked_callback' })],
      miss: [call('call.completed', { disposition: 'voicemail' }), call('call.failed', { disposition: 'booked_callback' })],
    },
    {
      promise: 'several types match any of them',
      types: ['call.failed', 'sms.received'],
      match: [call('call.failed', { n: 1 }), call('sms.received', { n: 2 })],
      miss: [call('call.completed', { n: 3 }), call('sms.sent', { n: 4 })],
    },
    {
      promise: 'a scalar filter is strict equality on every key',
      filters: { direction: 'outbound', attempt: 2 },
      match: [call('call.failed', { direction: 'outbound', attempt: 2, x: 1 })],
      miss: [call('call.failed', { direction: 'inbound', attempt: 2 }), call('call.failed', { direction: 'outbound', attempt: '2' }), call('call.failed', { direction: 'outbound' })],
    },
    {
      promise: 'an array filter is any-of',
      filters: { status: ['busy', 'no_answer'] },
      match: [call('call.failed', { status: 'busy' }), call('call.failed', { status: 'no_answer' })],
      miss: [call('call.failed', { status: 'failed' }), call('call.failed', {})],
    },
    {
      promise: 'a string with % or _ is a case-insensitive LIKE pattern',
      filters: { phone_number: '+1555%', agent: 'ag_nt%' },
      match: [call('sms.received', { phone_number: '+15551234', agent: 'AGENT-7' })],
      miss: [call('sms.received', { phone_number: '+14151234', agent: 'agent' }), call('sms.received', { phone_number: '+15551234', agent: 'agnt' })],
    },
    {
      promise: "is_conversion is true when the disposition is one of the campaign's conversion outcomes",
      types: ['call.completed'],
      filters: { is_conversion: true },
      match: [call('call.completed', { campaign_id: 'camp_conv', disposition: 'sale' })],
      miss: [call('call.completed', { campaign_id: 'camp_conv', disposition: 'voicemail' }), call('call.completed', { campaign_id: 'camp_none', disposition: 'sale' }), call('call.completed', { disposition: 'sale' })],
    },
  ];

  it.each(CASES.map((c) => [c.promise, c] as const))('%s; another account never hears it', async (_promise, c) => {
    const sub = collect(client(h.apiKey), EVENTS, { t: c.types, f: c.filters });
    const publish = async (e: Ev, token = h.apiKey): Promise<string> => (await h.ok(PUBLISH, { i: e }, token)).publishEvent.id;
    const marker = (tag: string) => publish({ ...c.match[0], payload: { ...c.match[0].payload, marker: tag } });
    await untilLive([sub], () => marker('live'));
    for (const e of c.miss) await publish(e);
    for (const e of c.match) await publish(e, other.apiKey);
    const expected: string[] = [];
    for (const e of c.match) expected.push(await publish(e));
    const last = await marker('last');
    // Events of one account arrive in publish order, so once the last marker is in, everything is.
    await pollUntil(() => sub.results.some((r) => r.data?.eventPublished.id === last), { what: 'the last marker' });
    const got = sub.results.map((r) => r.data.eventPublished).filter((e) => !e.payload.marker);
    expect(got.map((e: any) => e.id).sort()).toEqual(expected.sort());
    sub.dispose();
  });

  it('refuses unknown types and bad filters with BAD_USER_INPUT and fieldErrors', async () => {
    const [err] = await errorsOf(client(h.apiKey), EVENTS, { t: ['call.nope'], f: { status: [['nested']], is_conversion: 'yes' } });
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    expect(err.extensions.fieldErrors.types.join()).toMatch(/call\.nope/);
    expect(err.extensions.fieldErrors.filters).toEqual(
      expect.arrayContaining([expect.stringMatching(/"status".*nested/), expect.stringMatching(/"is_conversion".*true or false/)]),
    );
  });
});

describe('deliveryUpdated', () => {
  let acct: TestAccount;
  let rx: Receiver;
  let rx2: Receiver;
  const ids: { w1: string; w2: string } = { w1: '', w2: '' };
  const ok = (q: string, v?: Record<string, unknown>) => h.ok(q, v, acct.apiKey);
  const publishFailedCall = async (): Promise<string> => (await ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'c1' } } })).publishEvent.id;
  beforeAll(async () => {
    acct = await h.newAccount('deliveries');
    [rx, rx2] = await Promise.all([startReceiver(), startReceiver()]);
    receivers.push(rx, rx2);
    for (const [key, r] of [['w1', rx], ['w2', rx2]] as const) {
      ids[key] = (await ok(CREATE_WEBHOOK, { i: { name: key, url: `${r.url}/hook`, events: ['call.failed'] } })).createWebhook.webhook.id;
    }
  });

  it('a subscriber of one webhook sees its delivery retried (PENDING, attempt 1) then SUCCEEDED (attempt 2), and nothing of other webhooks', async () => {
    const sub = collect(client(acct.apiKey), DELIVERIES, { w: ids.w1 });
    await untilLive([sub], () => ok(`mutation($id: ID!) { testWebhook(id: $id) { id } }`, { id: ids.w1 }));
    rx.respond({ status: 500 });
    const eventId = await publishFailedCall();
    const ofEvent = () => sub.results.map((r) => r.data.deliveryUpdated).filter((d) => d.eventId === eventId);
    await pollUntil(ofEvent, { until: (u) => u.length >= 2, what: 'two updates of the delivery' });
    await rx2.waitForRequests(1);
    expect(ofEvent()).toMatchObject([
      { webhookId: ids.w1, status: 'PENDING', attemptCount: 1, lastResponseStatus: 500 },
      { webhookId: ids.w1, status: 'SUCCEEDED', attemptCount: 2, lastResponseStatus: 200, nextAttemptAt: null },
    ]);
    expect(ofEvent()[0].nextAttemptAt).not.toBeNull();
    expect(sub.results.every((r) => r.data.deliveryUpdated.webhookId === ids.w1)).toBe(true);
    sub.dispose();
  });

  it('a delivery that waits for its turn is announced PENDING when it is published, before any attempt', async () => {
    const sub = collect(client(acct.apiKey), DELIVERIES, { w: ids.w1 });
    await untilLive([sub], () => ok(`mutation($id: ID!) { testWebhook(id: $id) { id } }`, { id: ids.w1 }));
    const { publishEvent } = await ok(PUBLISH, { i: { type: 'call.failed', payload: { call_id: 'later' }, deliverAfterSeconds: 3600 } });
    const update = await pollUntil(() => sub.results.map((r) => r.data.deliveryUpdated).find((d) => d.eventId === publishEvent.id), { what: 'the delayed delivery announced' });
    expect(update).toMatchObject({ webhookId: ids.w1, status: 'PENDING', attemptCount: 0, lastResponseStatus: null });
    expect(new Date(update.nextAttemptAt).getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    sub.dispose();
  });

  it("a subscriber of one event sees only that event's deliveries, on every webhook", async () => {
    const [e1, e2] = [await publishFailedCall(), await publishFailedCall()];
    const settled = (e: string) =>
      pollUntil(async () => (await ok(BY_EVENT, { e })).deliveries.edges.map((x: any) => x.node), {
        until: (ds: any[]) => ds.length === 2 && ds.every((d) => d.status === 'SUCCEEDED'),
        what: `deliveries of ${e} settled`,
      });
    const [d1, d2] = [await settled(e1), await settled(e2)];
    const c = client(acct.apiKey);
    const byEvent = collect(c, DELIVERIES, { e: e1 });
    const all = collect(c, DELIVERIES, {});
    const redeliver = (id: string) => ok(`mutation($id: ID!) { redeliver(deliveryId: $id) { id } }`, { id });
    const succeeded = (s: Sub, id: string, after = 0) => pollUntil(() => s.results.slice(after).some((r) => r.data.deliveryUpdated.id === id && r.data.deliveryUpdated.status === 'SUCCEEDED'), { what: `${id} SUCCEEDED` });
    await untilLive([byEvent, all], () => redeliver(d1[0].id));
    await succeeded(byEvent, d1[0].id);
    // The other event's updates are published (the unfiltered subscriber hears them) …
    const seen = all.results.length;
    for (const d of d2) await redeliver(d.id);
    for (const d of d2) await succeeded(all, d.id, seen);
    const mark = byEvent.results.length;
    await redeliver(d1[1].id);
    await succeeded(byEvent, d1[1].id, mark);
    // … but never reach the subscriber of e1, which heard e1's deliveries on both webhooks.
    const heard = byEvent.results.map((r) => r.data.deliveryUpdated);
    expect(heard.every((d) => d.eventId === e1)).toBe(true);
    expect(new Set(heard.map((d) => d.webhookId))).toEqual(new Set([ids.w1, ids.w2]));
    byEvent.dispose();
    all.dispose();
  });
});

describe('what a subscription may ask', () => {
  /** `eventPublished { deliveries(first: 1) { event { deliveries(first: 1) … { id } } } }` nested `depth` levels deep. */
  const nested = (depth: number) => {
    let body = 'id';
    for (let level = depth - 1; level > 1; level--) body = `${level % 2 ? 'event' : 'deliveries(first: 1)'} { ${body} }`;
    return `subscription { eventPublished(types: ["contact.created"]) { ${body} } }`;
  };
  const publishContact = () => h.ok(PUBLISH, { i: { type: 'contact.created', payload: {} } });

  it('refuses a subscription nested deeper than the depth limit, and runs one at the limit', async () => {
    const c = client(h.apiKey);
    const [tooDeep] = await errorsOf(c, nested(13));
    expect(tooDeep.message).toMatch(/nested 13 levels deep; the limit is 12/);
    const atLimit = collect(c, nested(12));
    await untilLive([atLimit], publishContact);
    expect(atLimit.results[0].errors).toBeUndefined();
    atLimit.dispose();
  });

  it('refuses a subscription asking for an unknown field', async () => {
    const [err] = await errorsOf(client(h.apiKey), `subscription { eventPublished { id secretSauce } }`);
    expect(err.message).toMatch(/Cannot query field "secretSauce" on type "Event"/);
  });

  it('checks a document once per text: the same refused text is refused on every socket, the same good text streams on every socket', async () => {
    // Documents are parsed and validated once per distinct text (graphql/text-cache) and shared.
    for (let i = 0; i < 3; i++) {
      const [tooDeep] = await errorsOf(client(h.apiKey), nested(13));
      expect(tooDeep.message).toMatch(/nested 13 levels deep; the limit is 12/);
      const [unknown] = await errorsOf(client(h.apiKey), `subscription { eventPublished { id secretSauce } }`);
      expect(unknown.message).toMatch(/Cannot query field "secretSauce" on type "Event"/);
    }
    const same = `subscription($t: [String!]) { eventPublished(types: $t) { id type } }`;
    const subs = [collect(client(h.apiKey), same, { t: ['contact.created'] }), collect(client(h.apiKey), same, { t: ['contact.created'] })];
    await untilLive(subs, publishContact);
    for (const s of subs) expect(s.results.every((r) => !r.errors && r.data.eventPublished.type === 'contact.created')).toBe(true);
    subs.forEach((s) => s.dispose());
  });

  it('refuses the 101st subscription on one socket while the first 100 keep streaming', async () => {
    const c = client(h.apiKey);
    const subs = Array.from({ length: 100 }, () => collect(c, `subscription { eventPublished(types: ["contact.updated"]) { id } }`));
    const publish = async () => (await h.ok(PUBLISH, { i: { type: 'contact.updated', payload: {} } })).publishEvent.id;
    await untilLive(subs, publish);
    const refusedEarly = subs.map((s, i) => ({ i: i + 1, error: s.error })).filter((s) => s.error);
    expect(refusedEarly).toEqual([]);
    const [refused] = await errorsOf(c, `subscription { eventPublished { id } }`);
    expect(refused.message).toMatch(/At most 100 subscriptions per socket/);
    const id = await publish();
    await Promise.all(subs.map((s) => pollUntil(() => s.results.some((r) => r.data?.eventPublished.id === id), { what: `event ${id} on all 100` })));
    subs.forEach((s) => s.dispose());
  });
});

describe('a subscriber that stops reading', () => {
  it('is closed with 4008 while a healthy subscriber gets every event and publishing stays fast', async () => {
    const acct = await h.newAccount('slow');
    // Just under the 64 KiB payload limit (domain/match-limits).
    const big = 'x'.repeat(60 * 1024);
    // The server's own sockets are ws instances of this module registry: record the closes they make.
    const closes = jest.spyOn(WebSocket.prototype, 'close');
    const serverCloses = () => closes.mock.calls.filter((_args, i) => (closes.mock.contexts[i] as any)._isServer);
    const healthy = collect(client(acct.apiKey), `subscription { eventPublished { id payload } }`);
    const slow = await acknowledgedSocket(h.url, acct.apiKey);
    slow.send({ id: '1', type: 'subscribe', payload: { query: `subscription { eventPublished { id payload } }` } });
    const latencies: number[] = [];
    const ids: string[] = [];
    const publish = async (payload: Record<string, unknown>) => {
      const started = Date.now();
      ids.push((await h.ok(PUBLISH, { i: { type: 'sms.received', payload } }, acct.apiKey)).publishEvent.id);
      latencies.push(Date.now() - started);
    };
    const marker = () => h.ok(PUBLISH, { i: { type: 'sms.received', payload: { marker: true } } }, acct.apiKey);
    await untilLive([healthy], marker);
    await pollUntil(() => slow.messages.some((m) => m.type === 'next'), { what: 'the slow subscriber live' });
    (slow.ws as any)._socket.pause();
    // Past the 4 MiB buffer plus what the kernel buffers on both ends of a loopback connection.
    for (let i = 0; i < 600 && serverCloses().length === 0; i++) await publish({ i, big });
    expect(serverCloses()).toEqual([[CLOSE_TOO_SLOW, expect.stringMatching(/too slow/i)]]);
    for (let i = 0; i < 5; i++) await publish({ after: i });
    const flood = () => healthy.results.map((r) => r.data.eventPublished).filter((e) => !e.payload.marker);
    await pollUntil(() => flood().length, { until: (n) => n >= ids.length, what: 'every event on the healthy subscriber' });
    expect(flood().map((e) => e.id)).toEqual(ids);
    expect(ids.length * big.length).toBeGreaterThan(WS_MAX_BUFFERED_BYTES);
    expect(Math.max(...latencies)).toBeLessThan(2_000);
    (slow.ws as any)._socket.resume();
    const { code } = await slow.closed;
    expect([CLOSE_TOO_SLOW, 1006]).toContain(code);
    healthy.dispose();
  });
});

describe('Apollo Client', () => {
  it('receives eventPublished through GraphQLWsLink', async () => {
    const apollo = new ApolloClient({ link: new GraphQLWsLink(client(h.apiKey)), cache: new InMemoryCache() });
    const received: string[] = [];
    const subscription = apollo
      .subscribe({ query: gql`subscription { eventPublished(types: ["sms.sent"]) { id type } }` })
      .subscribe({ next: (r: any) => received.push(r.data.eventPublished.id) });
    const publish = async () => (await h.ok(PUBLISH, { i: { type: 'sms.sent', payload: { body: 'hi' } } })).publishEvent.id;
    await untilLive([{ results: received, next: (n, timeoutMs) => pollUntil(() => received.length >= n, { timeoutMs }) }], publish);
    const id = await publish();
    await pollUntil(() => received.includes(id), { what: `event ${id} through Apollo` });
    subscription.unsubscribe();
    apollo.stop();
  });
});
