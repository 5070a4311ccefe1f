import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, killAllChildren, spawnHookline } from '../helpers/child';
import { gqlOk } from '../helpers/graphql-client';
import { startReceiver, type Receiver } from '../helpers/receiver';

/** Starts of one server on one database file: each migrates (or finds nothing to do) and serves. */
const STARTS = 3;
/** Rounds of requests per start; each round is one mutation and three queries. */
const ROUNDS = 12;

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const PUBLISH = `mutation($i: PublishEventInput!) { publishEvent(input: $i) { id deliveries { id } } }`;
const READS = [
  '{ me { account { name } } }',
  '{ webhooks(first: 50) { edges { node { id name } } } }',
  '{ events(first: 50) { edges { node { id type } } } }',
  '{ deliveries(first: 50) { edges { node { id status } } } }',
];

// better-sqlite3 12 aborts Node 24 (`Assertion failed: (env) != nullptr` in a statement finalizer)
// when the garbage collector frees a statement. A tiny young generation makes minor GCs happen all
// the time, as they do sooner or later in any long-lived server, so such a crash shows up at once.
describe('the embedded default under garbage-collector pressure', () => {
  let dir: string;
  let receiver: Receiver;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-gc-'));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await killAllChildren();
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts, serves queries, mutations and deliveries, and stops cleanly, again and again, with --max-semi-space-size=1', async () => {
    const env = { NODE_OPTIONS: '--max-semi-space-size=1', HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' };
    let key = '';
    for (let start = 0; start < STARTS; start++) {
      const child = await spawnHookline(env, { cwd: dir });
      // Only the first start, on an empty database, creates the default account and prints its key.
      if (start === 0) key = child.printedApiKey!;
      expect(key).toMatch(/^hk_live_/);
      const url = child.url;
      const received = receiver.requests.length;

      if (start === 0) await gqlOk(url, key, CREATE, { i: { name: 'gc', url: `${receiver.url}/hook`, events: ['call.failed'] } });
      for (let round = 0; round < ROUNDS; round++) {
        const published = await gqlOk(url, key, PUBLISH, { i: { type: 'call.failed', payload: { call_id: `s${start}r${round}`, disposition: 'busy' } } });
        expect(published.publishEvent.deliveries).toHaveLength(1);
        for (const query of READS.slice(round % 2, (round % 2) + 3)) await gqlOk(url, key, query);
      }
      const delivered = await receiver.waitForRequests(received + ROUNDS, 20_000);
      const ids = delivered.slice(received).map((r) => JSON.parse(r.body).data.call_id as string);
      expect(new Set(ids)).toEqual(new Set(Array.from({ length: ROUNDS }, (_, round) => `s${start}r${round}`)));

      expect({ code: child.proc.exitCode, signal: child.proc.signalCode }).toEqual({ code: null, signal: null });
      const exit = await child.kill('SIGTERM');
      expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    }
  }, 120_000);
});
