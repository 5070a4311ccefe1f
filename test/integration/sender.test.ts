import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { createSender, type SendRequest } from '../../src/delivery/sender';
import { createGuardedAgent } from '../../src/delivery/ssrf';
import { startReceiver, type Receiver } from '../helpers/receiver';

const agent = new Agent({ keepAliveTimeout: 1_000 });
const send = createSender({ dispatcher: agent });
const receivers: Receiver[] = [];
const extraAgents: Agent[] = [];

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

function post(url: string, overrides: Partial<SendRequest> = {}): SendRequest {
  return {
    url,
    headers: { 'content-type': 'application/json' },
    body: '{"id":"evt_1","type":"call.completed","data":{}}',
    timeoutMs: 2_000,
    ...overrides,
  };
}

/** An agent whose connector fails with `err` without dialing anything, to see how each failure is classified. */
function failingAgent(err: Error): Agent {
  const connect: buildConnector.connector = (_options, callback) => callback(err, null);
  const a = new Agent({ connect });
  extraAgents.push(a);
  return a;
}

function errnoError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  await Promise.all([agent, ...extraAgents].map((a) => a.close()));
});

describe('sender against a real receiver', () => {
  it('reports a 200 as ok and keeps the response body', async () => {
    const r = await receiver();
    r.respond({ status: 200, body: '{"received":true}' });
    const result = await send(post(r.url + '/hooks'));
    expect(result).toMatchObject({ status: 200, ok: true, body: '{"received":true}' });
    expect(result.errorKind).toBeUndefined();
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('delivers the method, path, headers and body exactly as sent', async () => {
    const r = await receiver();
    const body = '{"id":"evt_7","data":{"text":"thïs 👋"}}';
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Hookline/0.1.0',
      'webhook-id': 'evt_7',
      'x-custom': 'yes',
    };
    await send(post(r.url + '/in?tenant=1', { headers, body }));
    const [got] = await r.waitForRequests(1);
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/in?tenant=1');
    expect(got.body).toBe(body);
    expect(got.headers).toMatchObject(headers);
  });

  it('reports a 500 as an HTTP_STATUS failure with its body', async () => {
    const r = await receiver();
    r.respond({ status: 500, body: 'boom' });
    const result = await send(post(r.url));
    expect(result).toMatchObject({ status: 500, ok: false, body: 'boom', errorKind: 'HTTP_STATUS', error: 'HTTP 500' });
  });

  it('keeps only the first 4096 bytes of a large body', async () => {
    const r = await receiver();
    r.respond({ status: 200, body: 'a'.repeat(10_000) });
    const result = await send(post(r.url));
    expect(result.ok).toBe(true);
    expect(result.body).toBe('a'.repeat(4_096));
  });

  it('stops reading a body past 64 KiB, counts the answer, and the next send still gets through', async () => {
    const r = await receiver();
    r.respond({ status: 200, body: 'b'.repeat(1_000_000) });
    const result = await send(post(r.url));
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.body).toBe('b'.repeat(4_096));
    r.respond({ status: 204, body: '' });
    expect(await send(post(r.url))).toMatchObject({ ok: true, status: 204 });
  });

  it('cuts a large body before a character split at the 4096th byte', async () => {
    const r = await receiver();
    // 4095 ASCII bytes, then 3-byte '€' characters: the first one straddles byte 4096.
    r.respond({ status: 200, body: 'a'.repeat(4_095) + '€'.repeat(100) });
    const result = await send(post(r.url));
    expect(result.body).toBe('a'.repeat(4_095));
    expect(Buffer.byteLength(result.body)).toBeLessThanOrEqual(4_096);
  });

  it('times out when response headers come later than the timeout', async () => {
    const r = await receiver();
    r.respond({ status: 200, body: 'late', delayMs: 3_000 });
    const result = await send(post(r.url, { timeoutMs: 300 }));
    expect(result).toMatchObject({ ok: false, errorKind: 'TIMEOUT', error: 'timed out after 300 ms' });
    expect(result.status).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('times out a 200 whose body trickles past the timeout', async () => {
    const r = await receiver();
    r.respond({ status: 200, body: 'x'.repeat(50), trickleMs: 50 });
    const result = await send(post(r.url, { timeoutMs: 400 }));
    expect(result).toMatchObject({ status: 200, ok: false, errorKind: 'TIMEOUT' });
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('accepts a trickled body that completes within the timeout', async () => {
    const r = await receiver();
    r.respond({ status: 200, body: 'ok!', trickleMs: 20 });
    const result = await send(post(r.url, { timeoutMs: 2_000 }));
    expect(result).toMatchObject({ status: 200, ok: true, body: 'ok!' });
  });

  it('never follows a redirect: a 302 fails and its Location gets no request', async () => {
    const first = await receiver();
    const second = await receiver();
    first.respond({ status: 302, headers: { location: second.url + '/elsewhere' } });
    const result = await send(post(first.url));
    expect(result).toMatchObject({ status: 302, ok: false, errorKind: 'HTTP_STATUS' });
    expect(result.error).toContain('redirects are not followed');
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(0);
  });

  it('reads Retry-After of a 429 in ms', async () => {
    const r = await receiver();
    r.respond({ status: 429, headers: { 'retry-after': '120' } });
    const result = await send(post(r.url));
    expect(result).toMatchObject({ status: 429, ok: false, errorKind: 'HTTP_STATUS', retryAfterMs: 120_000 });
  });

  it('reads an HTTP-date Retry-After of a 503', async () => {
    const r = await receiver();
    const at = new Date(Date.now() + 90_000).toUTCString();
    r.respond({ status: 503, headers: { 'retry-after': at } });
    const result = await send(post(r.url));
    expect(result.retryAfterMs).toBeGreaterThan(85_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('reports a refused connection as CONNECTION', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await send(post(`http://127.0.0.1:${port}/`));
    expect(result).toMatchObject({ ok: false, errorKind: 'CONNECTION' });
    expect(result.status).toBeUndefined();
    expect(result.error).toContain('ECONNREFUSED');
  });

  it('reports a socket destroyed before any answer as CONNECTION', async () => {
    const r = await receiver();
    r.respond({ destroy: true });
    const result = await send(post(r.url));
    expect(result).toMatchObject({ ok: false, errorKind: 'CONNECTION' });
    expect(result.status).toBeUndefined();
  });

  it('follows a scripted sequence, then the fallback', async () => {
    const r = await receiver();
    r.respond({ status: 500 }, { status: 503 });
    r.setFallback({ status: 204 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(post(r.url))).status);
    expect(statuses).toEqual([500, 503, 204]);
    expect(await r.waitForRequests(3)).toHaveLength(3);
  });
});

describe('sender error classification', () => {
  const url = 'http://hooks.example.test/in';

  it.each([
    ['DNS', errnoError('getaddrinfo ENOTFOUND hooks.example.test', 'ENOTFOUND')],
    ['DNS', errnoError('getaddrinfo EAI_AGAIN hooks.example.test', 'EAI_AGAIN')],
    ['TLS', errnoError('certificate has expired', 'CERT_HAS_EXPIRED')],
    ['TLS', errnoError('Hostname/IP does not match certificate', 'ERR_TLS_CERT_ALTNAME_INVALID')],
    ['CONNECTION', errnoError('read ECONNRESET', 'ECONNRESET')],
    ['BLOCKED_TARGET', Object.assign(new Error('outer'), { cause: errnoError('webhook target is private', 'BLOCKED_TARGET') })],
  ])('classifies a connect failure as %s', async (kind, err) => {
    const result = await createSender({ dispatcher: failingAgent(err) })(post(url));
    expect(result).toMatchObject({ ok: false, errorKind: kind });
    expect(result.error).toBeTruthy();
  });

  it('keeps BLOCKED_TARGET even when the error comes wrapped in an AggregateError', async () => {
    const err = new AggregateError([errnoError('x', 'ECONNREFUSED'), errnoError('private', 'BLOCKED_TARGET')], 'all failed');
    const result = await createSender({ dispatcher: failingAgent(err) })(post(url));
    expect(result).toMatchObject({ errorKind: 'BLOCKED_TARGET', error: 'private' });
  });
});

describe('sender with the SSRF-guarded agent', () => {
  it('is refused before connecting when the target is loopback and private targets are not allowed', async () => {
    const r = await receiver();
    const guarded = createGuardedAgent({ allowPrivate: false });
    extraAgents.push(guarded);
    const result = await createSender({ dispatcher: guarded })(post(r.url));
    expect(result).toMatchObject({ ok: false, errorKind: 'BLOCKED_TARGET' });
    expect(result.error).toContain('HOOKLINE_ALLOW_PRIVATE_TARGETS');
    expect(r.requests).toHaveLength(0);
  });

  it('refuses a name that a fake resolver points at loopback, before dialing it', async () => {
    const r = await receiver();
    const { port } = new URL(r.url);
    // Loopback, so that even a broken guard could only ever reach our own receiver.
    const guarded = createGuardedAgent({
      allowPrivate: false,
      lookupAll: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    extraAgents.push(guarded);
    const result = await createSender({ dispatcher: guarded })(post(`http://hooks.example.test:${port}/in`));
    expect(result).toMatchObject({ ok: false, errorKind: 'BLOCKED_TARGET' });
    expect(result.error).toContain('hooks.example.test is not a public address');
    expect(result.error).not.toContain('127.0.0.1');
    expect(r.requests).toHaveLength(0);
  });

  it('delivers to loopback when private targets are allowed', async () => {
    const r = await receiver();
    const guarded = createGuardedAgent({ allowPrivate: true });
    extraAgents.push(guarded);
    const result = await createSender({ dispatcher: guarded })(post(r.url));
    expect(result).toMatchObject({ status: 200, ok: true });
    expect(await r.waitForRequests(1)).toHaveLength(1);
  });
});
