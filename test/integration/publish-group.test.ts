import mysql from 'mysql2/promise';
import type { DbKind } from '../helpers/db';
import { startHookline, TestHookline } from '../helpers/hookline';
import { pollUntil } from '../helpers/poll';

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateWebhookInput!) { updateWebhook(id: $id, input: $i) { id } }`;
const DELETE = `mutation($id: ID!) { deleteWebhook(id: $id) { id } }`;
/** A target that is never called: these Hookline instances run the api role (no worker). */
const TARGET = 'http://127.0.0.1:9/never-called';

const deliveriesOf = async (h: TestHookline, eventId: string) => Number((await h.hookline.ds.query('SELECT COUNT(*) AS n FROM deliveries WHERE event_id = ?', [eventId]))[0].n);

/** One INSERT INTO events that Hookline sent: how many rows it carried, and whether the poisoned event was one of them. */
interface EventsInsert {
  rows: number;
  poisoned: boolean;
}

/**
 * Counts the statements Hookline sends while `fn` runs, by their first words (TypeORM calls its logger
 * for every query). On MySQL the publish transaction sends several statements per query, joined by
 * `;\n` with their values inlined by the driver: each counts on its own.
 */
async function countingStatements<T>(h: TestHookline, fn: () => Promise<T>): Promise<{ result: T; starts: number; inserts: EventsInsert[]; campaignReads: number }> {
  const logger = h.hookline.ds.logger;
  const original = logger.logQuery;
  let starts = 0;
  let campaignReads = 0;
  const inserts: EventsInsert[] = [];
  const poison = /\\?"poison\\?"/;
  logger.logQuery = (query, parameters, runner) => {
    const params = Array.isArray(parameters) ? parameters : [];
    for (const statement of query.split(';\n')) {
      if (/^\s*(START|BEGIN)\b/i.test(statement)) starts++;
      if (/^\s*SELECT\b[\s\S]*\bFROM\s+[`"]?campaigns\b/i.test(statement)) campaignReads++;
      if (/^\s*INSERT INTO events\b/i.test(statement)) {
        inserts.push({
          rows: statement.split(/\)\s*,\s*\(/).length,
          poisoned: poison.test(statement) || params.some((p) => typeof p === 'string' && poison.test(p)),
        });
      }
    }
    return original.call(logger, query, parameters, runner);
  };
  try {
    return { result: await fn(), starts, inserts, campaignReads };
  } finally {
    logger.logQuery = original;
  }
}

describe.each<DbKind>(['mysql', 'sqlite'])('publish groups and the cached webhook set (%s)', (db) => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db, env: { HOOKLINE_ROLE: 'api' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const publishOne = async (accountId: string, payload: Record<string, unknown>) => (await h.hookline.services.events.publish(accountId, [{ type: 'sms.received', payload }]))[0].event.id;

  it('concurrent publishes share transactions, and each caller gets its own committed event with its deliveries', async () => {
    const account = await h.newAccount('grouped');
    await h.ok(CREATE, { i: { name: 'all sms', url: TARGET, events: ['sms.received'] } }, account.apiKey);
    const n = 20;
    const { result: ids, starts } = await countingStatements(h, () => Promise.all(Array.from({ length: n }, (_, i) => publishOne(account.accountId, { seq: i }))));
    expect(new Set(ids).size).toBe(n);
    expect(starts).toBeLessThan(n / 2);
    for (const [i, id] of ids.entries()) {
      const [row] = await h.hookline.ds.query('SELECT payload FROM events WHERE id = ?', [id]);
      expect(JSON.parse(row.payload)).toEqual({ seq: i });
      expect(await deliveriesOf(h, id)).toBe(1);
    }
  });

  it('one failing publish in a coalesced group fails alone while the others commit', async () => {
    const account = await h.newAccount('poisoned');
    await h.ok(CREATE, { i: { name: 'all sms', url: TARGET, events: ['sms.received'] } }, account.apiKey);
    // The database itself refuses one event (as a constraint or a full disk would), inside the group's multi-row insert.
    await h.hookline.ds.query(
      db === 'mysql'
        ? `CREATE TRIGGER poison_events BEFORE INSERT ON events FOR EACH ROW BEGIN IF NEW.payload LIKE '%"poison"%' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poisoned event'; END IF; END`
        : `CREATE TRIGGER poison_events BEFORE INSERT ON events WHEN NEW.payload LIKE '%"poison"%' BEGIN SELECT RAISE(ABORT, 'poisoned event'); END`,
    );
    try {
      const n = 12;
      const bad = 7;
      const { result: settled, inserts } = await countingStatements(h, () =>
        Promise.allSettled(Array.from({ length: n }, (_, i) => publishOne(account.accountId, i === bad ? { seq: i, poison: true } : { seq: i }))),
      );
      // The poisoned event really was coalesced: some multi-row INSERT carried it beside others.
      const coalesced = inserts.filter((s) => s.poisoned && s.rows > 1);
      expect(coalesced.length).toBeGreaterThan(0);
      expect(settled[bad]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringContaining('poisoned event') }) });
      const committed = settled.flatMap((s, i) => (i === bad ? [] : [s]));
      expect(committed.every((s) => s.status === 'fulfilled')).toBe(true);
      const rows = await h.hookline.ds.query('SELECT id, payload FROM events WHERE account_id = ?', [account.accountId]);
      expect(rows.map((r: { payload: string }) => JSON.parse(r.payload).seq).sort((a: number, b: number) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11]);
      for (const r of rows) expect(await deliveriesOf(h, r.id)).toBe(1);
    } finally {
      await h.hookline.ds.query('DROP TRIGGER poison_events');
    }
  });

  it('a publish right after createWebhook, updateWebhook or deleteWebhook returns uses the new webhook set', async () => {
    const account = await h.newAccount('fresh-set');
    const create = async (filters: Record<string, unknown>) =>
      (await h.ok(CREATE, { i: { name: 'filtered', url: TARGET, events: ['sms.received'], filters } }, account.apiKey)).createWebhook.webhook.id as string;
    const id = await create({ to: '+1555' });
    expect(await deliveriesOf(h, await publishOne(account.accountId, { to: '+1555' }))).toBe(1);
    await h.ok(UPDATE, { id, i: { filters: { to: '+1666' } } }, account.apiKey);
    expect(await deliveriesOf(h, await publishOne(account.accountId, { to: '+1555' }))).toBe(0);
    expect(await deliveriesOf(h, await publishOne(account.accountId, { to: '+1666' }))).toBe(1);
    await h.ok(UPDATE, { id, i: { enabled: false } }, account.apiKey);
    expect(await deliveriesOf(h, await publishOne(account.accountId, { to: '+1666' }))).toBe(0);
    await h.ok(UPDATE, { id, i: { enabled: true } }, account.apiKey);
    expect(await deliveriesOf(h, await publishOne(account.accountId, { to: '+1666' }))).toBe(1);
    await h.ok(DELETE, { id }, account.apiKey);
    expect(await deliveriesOf(h, await publishOne(account.accountId, { to: '+1666' }))).toBe(0);
    await create({ to: '+1666' });
    expect(await deliveriesOf(h, await publishOne(account.accountId, { to: '+1666' }))).toBe(1);
  });

  it('a webhook the engine disables (as on 410 Gone, with no version bump) drops out of the next publish', async () => {
    const account = await h.newAccount('engine-disabled');
    const id = (await h.ok(CREATE, { i: { name: 'gone', url: TARGET, events: ['sms.received'] } }, account.apiKey)).createWebhook.webhook.id;
    expect(await deliveriesOf(h, await publishOne(account.accountId, { n: 1 }))).toBe(1);
    await h.hookline.ds.query(`UPDATE webhooks SET status = 'AUTO_DISABLED' WHERE id = ?`, [id]);
    expect(await deliveriesOf(h, await publishOne(account.accountId, { n: 2 }))).toBe(0);
  });

  it("one account's cached webhook set never serves another account's publish", async () => {
    const a = await h.newAccount('tenant-a');
    const b = await h.newAccount('tenant-b');
    await h.ok(CREATE, { i: { name: 'a only', url: TARGET, events: ['sms.received'] } }, a.apiKey);
    const [ea, eb] = await Promise.all([publishOne(a.accountId, { n: 1 }), publishOne(b.accountId, { n: 1 })]);
    expect(await deliveriesOf(h, ea)).toBe(1);
    expect(await deliveriesOf(h, eb)).toBe(0);
  });

  it('a publish right after upsertCampaign uses the changed campaign; unchanged campaigns are not read again', async () => {
    const UPSERT = `mutation($i: UpsertCampaignInput!) { upsertCampaign(input: $i) { id } }`;
    const a = await h.newAccount('campaign-a');
    const b = await h.newAccount('campaign-b');
    const call = async (accountId: string) =>
      (await h.hookline.services.events.publish(accountId, [{ type: 'call.queued', payload: { call_id: 'c', campaign_id: 'camp-1' } }]))[0].event.id;
    // Account b has a campaign of the same id without a target: a's kept row must never serve b.
    await h.ok(UPSERT, { i: { id: 'camp-1', name: 'b', webhookUrl: '' } }, b.apiKey);
    await h.ok(UPSERT, { i: { id: 'camp-1', name: 'a', webhookUrl: TARGET } }, a.apiKey);
    expect(await deliveriesOf(h, await call(a.accountId))).toBe(1);
    expect(await deliveriesOf(h, await call(b.accountId))).toBe(0);
    // Unchanged: the next publishes read no campaign rows.
    const again = await countingStatements(h, async () => [await call(a.accountId), await call(b.accountId)]);
    expect(again.campaignReads).toBe(0);
    expect(await deliveriesOf(h, again.result[0])).toBe(1);
    expect(await deliveriesOf(h, again.result[1])).toBe(0);
    // Changed: the very next publish reads it again and follows it.
    await h.ok(UPSERT, { i: { id: 'camp-1', webhookUrl: '' } }, a.apiKey);
    const cleared = await countingStatements(h, () => call(a.accountId));
    expect(cleared.campaignReads).toBe(1);
    expect(await deliveriesOf(h, cleared.result)).toBe(0);
    await h.ok(UPSERT, { i: { id: 'camp-1', webhookUrl: TARGET } }, a.apiKey);
    expect(await deliveriesOf(h, await call(a.accountId))).toBe(1);
    await h.ok(UPSERT, { i: { id: 'camp-1', webhookUrl: TARGET } }, b.apiKey);
    expect(await deliveriesOf(h, await call(b.accountId))).toBe(1);
  });
});

describe('publish groups racing another connection for an idempotency key (mysql)', () => {
  let h: TestHookline;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql', env: { HOOKLINE_ROLE: 'api' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('the publish whose key another transaction commits first gets that event; the rest of its group commits', async () => {
    const account = await h.newAccount('racing');
    await h.ok(CREATE, { i: { name: 'all sms', url: TARGET, events: ['sms.received'] } }, account.apiKey);
    const other = await mysql.createConnection(h.db.url);
    try {
      const theirs = '01900000-0000-7000-8000-0000000000aa';
      await other.query('BEGIN');
      await other.query(`INSERT INTO events (id, account_id, type, payload, occurred_at, idempotency_key, created_at) VALUES (?, ?, 'sms.received', '{}', NOW(3), 'race-key-1', NOW(3))`, [
        theirs,
        account.accountId,
      ]);
      const racing = 5;
      const all = Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          h.hookline.services.events.publish(account.accountId, [{ type: 'sms.received', payload: { seq: i }, idempotencyKey: i === racing ? 'race-key-1' : `own-key-${i}` }]),
        ),
      );
      // The group holding the racing key sends its multi-row INSERT, which waits on the other transaction's row lock...
      const dbName = new URL(h.db.url).pathname.slice(1);
      await pollUntil(
        async () =>
          Number(
            (await h.hookline.ds.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'INSERT INTO events%own-key-%race-key-1%'`, [dbName]))[0].n,
          ),
        { what: 'the publish group inserting the racing key', until: (n) => n > 0 },
      );
      // ...which then commits first.
      await other.query('COMMIT');
      const results = (await all).map(([r]) => r);
      expect(results[racing]).toMatchObject({ replayed: true, deliveryCount: 0, event: expect.objectContaining({ id: theirs }) });
      for (const [i, r] of results.entries()) {
        if (i === racing) continue;
        expect(r.replayed).toBe(false);
        expect(await deliveriesOf(h, r.event.id)).toBe(1);
      }
      const [{ n }] = await h.hookline.ds.query('SELECT COUNT(*) AS n FROM events WHERE account_id = ?', [account.accountId]);
      expect(Number(n)).toBe(8);
    } finally {
      await other.end();
    }
  });
});
