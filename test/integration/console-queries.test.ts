import type { Logger } from 'typeorm';
import { DbKind } from '../helpers/db';
import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';
import { startReceiver, Receiver } from '../helpers/receiver';

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const PUBLISH_MANY = `mutation($i: [PublishEventInput!]!) { publishEvents(inputs: $i) { id } }`;
const TIMELINE = `query($id: ID!, $h: Int, $b: Int) { webhook(id: $id) { timeline(hours: $h, bucketMinutes: $b) { start succeeded failed p50LatencyMs p95LatencyMs } } }`;
const PREVIEW = `query($e: [String!]!, $f: JSONObject, $n: Int) { previewMatch(events: $e, filters: $f, last: $n) { matched reason event { id type } } }`;
/** The console's deliveries page: each delivery with its attempts, event and webhook. */
const PAGE = `query($w: ID!, $n: Int) { deliveries(webhookId: $w, first: $n, newestFirst: true) { edges { node {
  id status attempts { number responseStatus durationMs } event { id type payload deliveries { id } } webhook { id name } } } } }`;

describe.each<DbKind>(['mysql', 'sqlite'])('console queries (%s)', (db) => {
  let h: TestHookline;
  let rx: Receiver;
  let webhookId: string;
  const failing = new Set<string>();

  beforeAll(async () => {
    // A long idle poll keeps the engine quiet once everything settled, so the statement count below is the page's alone.
    h = await startHookline({ db, env: { HOOKLINE_POLL_INTERVAL_MS: '60000', HOOKLINE_RETRY_SCHEDULE: '1s' } });
    rx = await startReceiver();
    rx.setFallback({ status: 200 });
    webhookId = (await h.ok(CREATE, { i: { name: 'rx', url: `${rx.url}/hook`, events: ['call.failed'], maxRetries: 0 } })).createWebhook.webhook.id;
    // 24 events: every fourth one is answered 500 (the timeline's failures).
    const inputs = Array.from({ length: 24 }, (_, i) => ({ type: 'call.failed', payload: { call_id: `c${i}`, reason: i % 4 === 0 ? 'busy' : 'no-answer' } }));
    rx.respond(...inputs.map((_, i) => (i % 4 === 0 ? { status: 500 } : { status: 200 })));
    const ids: string[] = (await h.ok(PUBLISH_MANY, { i: inputs })).publishEvents.map((e: { id: string }) => e.id);
    ids.forEach((id, i) => i % 4 === 0 && failing.add(id));
    await pollUntil(() => h.ok(`query($w: ID!) { webhook(id: $w) { stats { succeeded failed } } }`, { w: webhookId }), {
      until: (d) => d.webhook.stats.succeeded + d.webhook.stats.failed === 24,
      what: 'all 24 deliveries settled',
      timeoutMs: 20_000,
    });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await rx?.close();
  });

  it('timeline buckets the last hours in SQL: counts by outcome and latency percentiles, every bucket present', async () => {
    const { timeline } = (await h.ok(TIMELINE, { id: webhookId, h: 2, b: 10 })).webhook;
    expect(timeline).toHaveLength(12);
    const starts = timeline.map((b: { start: string }) => Date.parse(b.start));
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBe(600_000);
    expect(starts[11]).toBeLessThanOrEqual(Date.now());
    expect(starts[11] + 600_000).toBeGreaterThan(Date.now() - 60_000);
    const total = (k: 'succeeded' | 'failed') => timeline.reduce((n: number, b: Record<string, number>) => n + b[k], 0);
    expect({ succeeded: total('succeeded'), failed: total('failed') }).toEqual({ succeeded: 18, failed: 6 });
    for (const b of timeline) {
      if (b.succeeded + b.failed === 0) expect(b.p95LatencyMs).toBeNull();
      else expect(b.p95LatencyMs).toBeGreaterThanOrEqual(b.p50LatencyMs);
    }
  });

  it('timeline refuses a window that would give too many buckets, naming the field', async () => {
    const r = await h.gql(TIMELINE, { id: webhookId, h: 744, b: 1 });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { bucketMinutes: [expect.stringContaining('buckets')] } });
  });

  it('previewMatch runs the fan-out engine over the last events and names the failed condition', async () => {
    const { previewMatch } = await h.ok(PREVIEW, { e: ['call.failed'], f: { reason: 'busy' }, n: 10 });
    expect(previewMatch).toHaveLength(10);
    for (const p of previewMatch) {
      expect(p.matched).toBe(failing.has(p.event.id));
      if (!p.matched) expect(p.reason).toBe('filter "reason": wanted "busy", got "no-answer"');
    }
    const wrongType = (await h.ok(PREVIEW, { e: ['call.completed'], n: 1 })).previewMatch[0];
    expect(wrongType).toMatchObject({ matched: false, reason: 'type "call.failed" is not among the subscribed events' });
    const absent = (await h.ok(PREVIEW, { e: ['call.failed'], f: { 'metadata.source': 'crm' }, n: 1 })).previewMatch[0];
    expect(absent.reason).toBe('filter "metadata.source": wanted "crm", got no such field');
  });

  it('previewMatch answers bad filters with field errors', async () => {
    const r = await h.gql(PREVIEW, { e: [], f: { reason: [] }, n: 500 });
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: { events: [expect.any(String)], filters: [expect.stringContaining('must not be empty')], last: [expect.any(String)] },
    });
  });

  it('a page of deliveries with attempts, events and webhooks costs the same number of SQL statements at 3 rows and at 24', async () => {
    const ds = h.hookline.services.ds;
    const original = ds.logger;
    const statements: string[] = [];
    const counting: Logger = {
      logQuery: (query) => void statements.push(query),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    const countPage = async (n: number) => {
      statements.length = 0;
      (ds as { logger: Logger }).logger = counting;
      try {
        const page = (await h.ok(PAGE, { w: webhookId, n })).deliveries.edges;
        expect(page).toHaveLength(n);
        for (const { node } of page) {
          expect(node.attempts).toHaveLength(1);
          expect(node.event.deliveries).toEqual([{ id: node.id }]);
          expect(node.webhook.id).toBe(webhookId);
        }
        return statements.filter((s) => /^\s*select/i.test(s)).length;
      } finally {
        (ds as { logger: Logger }).logger = original;
      }
    };
    const small = await countPage(3);
    const large = await countPage(24);
    expect(large).toBe(small);
    // Auth, the page, then one batched query each for attempts, events, their deliveries and webhooks.
    expect(large).toBeLessThanOrEqual(8);
  });
});
