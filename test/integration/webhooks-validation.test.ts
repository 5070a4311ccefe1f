import net from 'node:net';
import { startHookline, TestHookline } from '../helpers/hookline';

const CREATE = `mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) { secret webhook { id name url events timeoutSeconds maxRetries filters headers payloadFormat signatureHeader } }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id } }`;
const SNAPSHOT = `query($id: ID!) {
  webhook(id: $id) { name url events filters timeoutSeconds maxRetries enabled status headers payloadFormat signatureHeader updatedAt }
}`;

const URL_PREFIX = 'http://127.0.0.1:9/';
/** A loopback URL of exactly `length` characters. */
const urlOfLength = (length: number) => URL_PREFIX + 'a'.repeat(length - URL_PREFIX.length);
/** A well-formed `whsec_` secret carrying `bytes` random-looking bytes. */
const secretOf = (bytes: number) => 'whsec_' + Buffer.alloc(bytes, 7).toString('base64');
const valid = (over: Record<string, unknown> = {}) => ({ name: 'CRM', url: `${URL_PREFIX}hook`, events: ['call.completed'], ...over });

type Case = [string, Record<string, unknown>, string[]];

/** Inputs each breaking one rule, and the only fields that must be reported. */
const BAD_FIELDS: Case[] = [
  ['an empty name', { name: '' }, ['name']],
  ['a 256-character name', { name: 'n'.repeat(256) }, ['name']],
  ['an empty url', { url: '' }, ['url']],
  ['an ftp url', { url: 'ftp://127.0.0.1/hook' }, ['url']],
  ['a javascript: url', { url: 'javascript:alert(1)' }, ['url']],
  ['a url without scheme', { url: '127.0.0.1/hook' }, ['url']],
  ['a 501-character url', { url: urlOfLength(501) }, ['url']],
  ['no events', { events: [] }, ['events']],
  ['an unknown event', { events: ['call.completed', 'call.exploded'] }, ['events']],
  ['timeoutSeconds 4', { timeoutSeconds: 4 }, ['timeoutSeconds']],
  ['timeoutSeconds 121', { timeoutSeconds: 121 }, ['timeoutSeconds']],
  ['maxRetries -1', { maxRetries: -1 }, ['maxRetries']],
  ['maxRetries 11', { maxRetries: 11 }, ['maxRetries']],
  ['a nested object as a filter value', { filters: { campaign: { id: 'camp_1' } } }, ['filters']],
  ['an empty any-of array', { filters: { disposition: [] } }, ['filters']],
  ['a non-boolean is_conversion', { filters: { is_conversion: 'yes' } }, ['filters']],
  ['a content-type header', { headers: { 'Content-Type': 'text/plain' } }, ['headers']],
  ['a webhook-signature header', { headers: { 'webhook-signature': 'v1,forged' } }, ['headers']],
  ['an x-hookline-* header', { headers: { 'X-Hookline-Event': 'call.failed' } }, ['headers']],
  ['a non-string header value', { headers: { 'X-Team': 7 } }, ['headers']],
  ['a custom header named like the signature header', { signatureHeader: 'x-topcalls-signature', headers: { 'X-TopCalls-Signature': 'forged' } }, ['headers']],
  ['an unknown payloadFormat', { payloadFormat: 'XML' }, ['payloadFormat']],
  ['a signatureHeader Hookline sets itself', { signatureHeader: 'webhook-signature' }, ['signatureHeader']],
  ['a signatureHeader that is no header name', { signatureHeader: 'x signature' }, ['signatureHeader']],
  ['an agentId that is no agent of the account', { agentId: 'agent-nobody' }, ['agentId']],
];

/** Inputs on the allowed side of each boundary, with what must be stored. */
const GOOD_FIELDS: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['a 255-character name', { name: 'n'.repeat(255) }, { name: 'n'.repeat(255) }],
  ['a 500-character url', { url: urlOfLength(500) }, { url: urlOfLength(500) }],
  ['an https url', { url: 'https://127.0.0.1:9/hook' }, { url: 'https://127.0.0.1:9/hook' }],
  ['a sub-event', { events: ['call.completed.booked_callback'] }, { events: ['call.completed.booked_callback'] }],
  ['timeoutSeconds 5', { timeoutSeconds: 5 }, { timeoutSeconds: 5 }],
  ['timeoutSeconds 120', { timeoutSeconds: 120 }, { timeoutSeconds: 120 }],
  ['maxRetries 0', { maxRetries: 0 }, { maxRetries: 0 }],
  ['maxRetries 10', { maxRetries: 10 }, { maxRetries: 10 }],
  ['no timeoutSeconds or maxRetries (defaults)', {}, { timeoutSeconds: 30, maxRetries: 4, filters: null, headers: null }],
  [
    'scalar, any-of, LIKE and is_conversion filters',
    { filters: { campaign_id: 'camp_1', duration: 30, disposition: ['booked_callback', 'sale'], to: '+1555%', is_conversion: true } },
    { filters: { campaign_id: 'camp_1', duration: 30, disposition: ['booked_callback', 'sale'], to: '+1555%', is_conversion: true } },
  ],
  ['an ordinary custom header', { headers: { 'X-Team': 'sales' } }, { headers: { 'X-Team': 'sales' } }],
  ['payloadFormat DATA', { payloadFormat: 'DATA' }, { payloadFormat: 'DATA' }],
  ['a signatureHeader of its own, stored lower-case', { signatureHeader: 'X-TopCalls-Signature' }, { signatureHeader: 'x-topcalls-signature' }],
  ['no payloadFormat or signatureHeader (defaults)', {}, { payloadFormat: 'ENVELOPE', signatureHeader: 'x-hookline-signature' }],
];

describe('webhook input validation (mysql)', () => {
  let h: TestHookline;
  let existingId: string;
  beforeAll(async () => {
    h = await startHookline({ db: 'mysql' });
    existingId = (await h.ok(CREATE, { input: valid({ name: 'existing' }) })).createWebhook.webhook.id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const rowCount = async () => Number((await h.hookline.ds.query('SELECT COUNT(*) AS n FROM webhooks'))[0].n);

  /** Asserts a BAD_USER_INPUT naming exactly `fields`, with no data and no row written. */
  async function expectRefusedCreate(input: Record<string, unknown>, fields: string[]) {
    const before = await rowCount();
    const r = await h.gql(CREATE, { input });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(r.errors?.[0]?.extensions?.fieldErrors ?? {}).sort()).toEqual([...fields].sort());
    expect(r.data?.createWebhook ?? null).toBeNull();
    expect(await rowCount()).toBe(before);
    return r.errors![0].extensions!.fieldErrors as Record<string, string[]>;
  }

  it.each(BAD_FIELDS)('createWebhook refuses %s and writes nothing', async (_name, over, fields) => {
    await expectRefusedCreate(valid(over), fields);
  });

  it.each(GOOD_FIELDS)('createWebhook accepts %s', async (_name, over, stored) => {
    const r = await h.ok(CREATE, { input: valid(over) });
    expect(r.createWebhook.webhook).toMatchObject(stored);
  });

  // GraphQL coerces variables before any resolver runs; those refusals must still name the field.
  it('createWebhook names the field when a required field is missing or filters is not an object', async () => {
    const { name: _name, ...noName } = valid();
    const { url: _url, ...noUrl } = valid();
    await expectRefusedCreate(noName, ['name']);
    await expectRefusedCreate(noUrl, ['url']);
    for (const filters of [['camp_1'], 'camp_1', 42]) await expectRefusedCreate(valid({ filters }), ['filters']);
  });

  it('createWebhook keeps a given secret (whsec_ or any 1–255 character string) and refuses malformed ones', async () => {
    for (const given of [secretOf(32), 'optional_secret_for_hmac', 's'.repeat(255)]) {
      expect((await h.ok(CREATE, { input: valid({ secret: given }) })).createWebhook.secret).toBe(given);
    }
    const malformed = [
      '',
      's'.repeat(256),
      'whsec_',
      'whsec_!!!!not*base64!!!!!!!!!!!!!!!!!!!!',
      secretOf(32).replace(/=+$/, '').slice(0, -1),
      secretOf(8),
    ];
    for (const secret of malformed) await expectRefusedCreate(valid({ secret }), ['secret']);
  });

  it('createWebhook reports every bad field of one input together', async () => {
    const errors = await expectRefusedCreate(
      { name: '', url: 'ftp://127.0.0.1/x', events: ['nope'], timeoutSeconds: 1, maxRetries: 99, filters: { a: [] }, headers: { 'content-type': 'x' } },
      ['name', 'url', 'events', 'timeoutSeconds', 'maxRetries', 'filters', 'headers'],
    );
    for (const messages of Object.values(errors)) expect(messages.length).toBeGreaterThan(0);
  });

  /** Asserts updateWebhook refuses `input` naming exactly `fields` and leaves the webhook as it was. */
  async function expectRefusedUpdate(input: Record<string, unknown>, fields: string[]) {
    const before = await h.ok(SNAPSHOT, { id: existingId });
    const r = await h.gql(UPDATE, { id: existingId, input });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(r.errors?.[0]?.extensions?.fieldErrors ?? {}).sort()).toEqual([...fields].sort());
    expect(await h.ok(SNAPSHOT, { id: existingId })).toEqual(before);
  }

  it.each(BAD_FIELDS)('updateWebhook refuses %s and changes nothing', async (_name, over, fields) => {
    await expectRefusedUpdate(over, fields);
  });

  it('updateWebhook reports every bad field of one input together and changes nothing', async () => {
    await expectRefusedUpdate(
      { name: 'n'.repeat(256), url: urlOfLength(501), events: [], timeoutSeconds: 121, maxRetries: -1, headers: { 'x-hookline-attempt': '9' } },
      ['name', 'url', 'events', 'timeoutSeconds', 'maxRetries', 'headers'],
    );
  });

  it.each(GOOD_FIELDS.filter(([, over]) => Object.keys(over).length > 0))('updateWebhook accepts %s', async (_name, over, stored) => {
    const { createWebhook } = await h.ok(CREATE, { input: valid() });
    await h.ok(UPDATE, { id: createWebhook.webhook.id, input: over });
    expect((await h.ok(SNAPSHOT, { id: createWebhook.webhook.id })).webhook).toMatchObject(stored);
  });
});

describe('webhook targets are checked at save time when private targets are not allowed', () => {
  let h: TestHookline;
  let listener: net.Server;
  let port: number;
  let connections = 0;
  beforeAll(async () => {
    h = await startHookline({ db: 'sqlite', env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'false' } });
    // A real loopback listener: if the check ran after a connect, it would see it.
    listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => listener?.close(resolve));
    await h?.stop();
  });

  // Each is a loopback or metadata address in another spelling; the guard must see through all of them.
  const PRIVATE_URLS = [
    (port: number) => `http://127.0.0.1:${port}/`,
    (port: number) => `http://[::ffff:127.0.0.1]:${port}/`,
    (port: number) => `http://2130706433:${port}/`,
    (port: number) => `http://0x7f000001:${port}/`,
    (port: number) => `http://localhost:${port}/`,
    () => 'http://169.254.169.254/latest/meta-data/',
  ];
  it.each(PRIVATE_URLS.map((f) => [f(0).replace(':0/', '/'), f] as const))(
    'createWebhook refuses %s as a url error naming HOOKLINE_ALLOW_PRIVATE_TARGETS, before any connection',
    async (_label, urlFor) => {
      const r = await h.gql(CREATE, { input: valid({ url: urlFor(port) }) });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const fieldErrors = r.errors![0].extensions!.fieldErrors as Record<string, string[]>;
      expect(Object.keys(fieldErrors)).toEqual(['url']);
      expect(fieldErrors.url.join(' ')).toContain('HOOKLINE_ALLOW_PRIVATE_TARGETS');
      const { webhooks } = await h.ok('{ webhooks(filter: { includeDeleted: true }) { edges { node { id } } } }');
      expect(webhooks.edges).toHaveLength(0);
      expect(connections).toBe(0);
    },
  );

  it.each(PRIVATE_URLS.map((f) => [f(0).replace(':0/', '/'), f] as const))(
    'updateWebhook refuses %s too and keeps the old url',
    async (_label, urlFor) => {
      const before = 'http://[2001:4860:4860::8888]/hook';
      const { createWebhook } = await h.ok(CREATE, { input: valid({ url: before }) });
      const r = await h.gql(UPDATE, { id: createWebhook.webhook.id, input: { url: urlFor(port) } });
      expect(r.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fieldErrors: { url: [expect.stringContaining('HOOKLINE_ALLOW_PRIVATE_TARGETS')] },
      });
      expect((await h.ok(SNAPSHOT, { id: createWebhook.webhook.id })).webhook.url).toBe(before);
      expect(connections).toBe(0);
    },
  );
});
