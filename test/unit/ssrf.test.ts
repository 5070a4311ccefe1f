import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { request } from 'undici';
import { createGuardedAgent, guardedLookup } from '../../src/delivery/ssrf';
import { assertPublicUrl, BlockedTargetError, classifyAddress, LookupAll } from '../../src/net/address-policy';

type Answer = { address: string; family: 4 | 6 };

/** A resolver with fixed answers that records every name it was asked about. */
function fakeResolver(answers: Record<string, Answer[]>): LookupAll & { asked: string[] } {
  const asked: string[] = [];
  const lookupAll = async (hostname: string) => {
    asked.push(hostname);
    const found = answers[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return Object.assign(lookupAll, { asked });
}

/** A resolver that fails the test if consulted: literal and localhost targets must be judged without DNS. */
const noDns: LookupAll = async (hostname) => {
  throw new Error(`resolver must not be consulted for ${hostname}`);
};

const v4 = (address: string): Answer => ({ address, family: 4 });
const v6 = (address: string): Answer => ({ address, family: 6 });

async function blockedBy(promise: Promise<unknown>): Promise<BlockedTargetError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const found = err instanceof BlockedTargetError ? err : (err as { cause?: unknown } | undefined)?.cause;
  if (!(found instanceof BlockedTargetError)) throw new Error(`expected BlockedTargetError, got ${String(err)}`);
  return found;
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloudMetadata'],
    ['169.254.10.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'cloudMetadata'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'cloudMetadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:2::1', 'benchmarking'],
    ['100::1', 'discard'],
    ['4000::1', 'reserved'],
    ['::ffff:127.0.0.1', 'ipv4Mapped:loopback'],
    ['::ffff:7f00:1', 'ipv4Mapped:loopback'],
    ['::ffff:169.254.169.254', 'ipv4Mapped:cloudMetadata'],
    ['::ffff:0:a00:1', 'rfc6145:private'],
    ['::7f00:1', 'ipv4Compatible:loopback'],
    ['::a00:1', 'ipv4Compatible:private'],
    ['64:ff9b::a00:1', 'nat64:private'],
    ['64:ff9b::127.0.0.1', 'nat64:loopback'],
    ['64:ff9b:1::1', 'rfc6052'],
    ['2002:7f00:1::', '6to4:loopback'],
    ['2002:a9fe:a9fe::1', '6to4:cloudMetadata'],
    // RFC 4380's own example: public server 65.54.227.120, client 192.0.2.45 hidden by XOR.
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo:reserved'],
    ['2001:0:7f00:1::', 'teredo:loopback'],
    ['not-an-ip', 'invalid'],
  ])('refuses %s as %s', (ip, range) => {
    expect(classifyAddress(ip)).toEqual({ public: false, range });
  });

  it.each([
    ['8.8.8.8', 'unicast'],
    ['1.1.1.1', 'unicast'],
    ['2606:4700:4700::1111', 'unicast'],
    ['::ffff:8.8.8.8', 'ipv4Mapped:unicast'],
    ['64:ff9b::808:808', 'nat64:unicast'],
    ['2002:808:808::1', '6to4:unicast'],
  ])('accepts %s as public (%s)', (ip, range) => {
    expect(classifyAddress(ip)).toEqual({ public: true, range });
  });

  it('refuses the dotted ::a.b.c.d spelling, which ipaddr.js reads as mapped rather than compatible', () => {
    expect(classifyAddress('::10.0.0.1')).toEqual({ public: false, range: 'ipv4Mapped:private' });
  });

  it('judges a Teredo address by both embedded addresses, not just the server', () => {
    // Server 65.54.227.120 is public; a public client 8.8.8.8 obfuscates to f7f7:f7f7.
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:f7f7:f7f7').public).toBe(true);
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:f5ff:fffe').range).toBe('teredo:private');
  });
});

describe('assertPublicUrl', () => {
  const strict = { allowPrivate: false, lookupAll: noDns };

  it.each([
    ['http://[::ffff:127.0.0.1]/', 'ipv4Mapped:loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://127.1:8080/', 'loopback'],
    ['http://[::1]:3000/hook', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'cloudMetadata'],
    ['http://[fd00:ec2::254]/latest/meta-data', 'cloudMetadata'],
    ['http://100.100.100.200/latest/meta-data', 'cloudMetadata'],
    ['http://localhost/', 'loopback'],
    ['http://LOCALHOST./', 'loopback'],
    ['http://api.localhost:9000/', 'loopback'],
  ])('refuses %s without asking DNS (%s)', async (url, range) => {
    const err = await blockedBy(assertPublicUrl(url, strict));
    expect(err.code).toBe('BLOCKED_TARGET');
    expect(err.range).toBe(range);
  });

  it('refuses a name whose resolver answers loopback, saying it is not public but not what it resolves to', async () => {
    const lookupAll = fakeResolver({ 'evil.example': [v4('127.0.0.1')] });
    const err = await blockedBy(assertPublicUrl('https://evil.example/hook', { allowPrivate: false, lookupAll }));
    expect(lookupAll.asked).toEqual(['evil.example']);
    expect(err.message).toBe('webhook target evil.example is not a public address; set HOOKLINE_ALLOW_PRIVATE_TARGETS=true to allow private targets in development');
    expect(err.message).not.toContain('127.0.0.1');
    expect(err.message).not.toContain('loopback');
    expect([err.address, err.range]).toEqual(['127.0.0.1', 'loopback']);
  });

  it('refuses a name with mixed answers when any one of them is private', async () => {
    const lookupAll = fakeResolver({ 'mixed.example': [v4('93.184.215.14'), v6('2606:4700::1'), v4('10.0.0.7')] });
    const err = await blockedBy(assertPublicUrl('http://mixed.example/', { allowPrivate: false, lookupAll }));
    expect(err.address).toBe('10.0.0.7');
    expect(err.range).toBe('private');
  });

  it('accepts a name whose every answer is public', async () => {
    const lookupAll = fakeResolver({ 'good.example': [v4('93.184.215.14'), v6('2606:4700::1')] });
    await expect(assertPublicUrl('https://good.example/hooks?x=1', { allowPrivate: false, lookupAll })).resolves.toBeUndefined();
    await expect(assertPublicUrl('https://8.8.8.8/', strict)).resolves.toBeUndefined();
  });

  it('refuses schemes other than http and https, even with allowPrivate', async () => {
    for (const url of ['ftp://files.example/x', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_x']) {
      await expect(assertPublicUrl(url, { allowPrivate: true, lookupAll: noDns })).rejects.toThrow(/must use http or https/);
    }
    await expect(assertPublicUrl('not a url', strict)).rejects.toThrow(/not a valid absolute URL/);
  });

  it('reports a host that does not resolve as such, not as blocked', async () => {
    const lookupAll = fakeResolver({});
    const err = await assertPublicUrl('https://nowhere.example/', { allowPrivate: false, lookupAll }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(BlockedTargetError);
    expect((err as Error).message).toBe('webhook host nowhere.example does not resolve');
  });

  it('lets private targets through when allowPrivate is set', async () => {
    for (const url of ['http://127.0.0.1:4000/', 'http://localhost/', 'http://[::ffff:10.0.0.1]/', 'http://evil.example/']) {
      await expect(assertPublicUrl(url, { allowPrivate: true, lookupAll: noDns })).resolves.toBeUndefined();
    }
  });
});

describe('guardedLookup', () => {
  const lookupAll = fakeResolver({
    'dual.example': [v6('2606:4700::1'), v4('93.184.215.14')],
    'rebind.example': [v4('93.184.215.14'), v4('169.254.169.254')],
  });
  const lookup = guardedLookup({ allowPrivate: false, lookupAll });
  const call = (hostname: string, options: object) =>
    new Promise<unknown[]>((resolve) => lookup(hostname, options, (...args: unknown[]) => resolve(args)));

  it('hands back every checked address when net asks for all (autoSelectFamily)', async () => {
    expect(await call('dual.example', { all: true })).toEqual([null, [v6('2606:4700::1'), v4('93.184.215.14')]]);
  });

  it('hands back one checked address of the requested family otherwise', async () => {
    expect(await call('dual.example', {})).toEqual([null, '2606:4700::1', 6]);
    expect(await call('dual.example', { family: 4 })).toEqual([null, '93.184.215.14', 4]);
  });

  it('refuses the whole name when one answer is metadata, in both callback shapes', async () => {
    for (const options of [{ all: true }, {}]) {
      const [err, address] = await call('rebind.example', options);
      expect(err).toBeInstanceOf(BlockedTargetError);
      expect((err as BlockedTargetError).range).toBe('cloudMetadata');
      expect(address).toBeUndefined();
    }
  });

  it('passes resolver failures through so the sender can report DNS errors', async () => {
    const [err] = await call('nowhere.example', { all: true });
    expect((err as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});

describe('createGuardedAgent', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;
  let requests = 0;
  const agents: ReturnType<typeof createGuardedAgent>[] = [];
  const dialed: string[] = [];
  let connectSpy: jest.SpyInstance;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests += 1;
      res.end('reached');
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;

    // Tripwire: should the guard ever hand a non-loopback address to a socket, fail that lookup
    // instead of dialing, and record it, so a broken guard cannot send traffic off this machine.
    const realConnect = net.connect;
    connectSpy = jest.spyOn(net, 'connect').mockImplementation(((options: net.TcpNetConnectOpts) => {
      const inner = options.lookup;
      if (net.isIP(options.host ?? '') !== 0 && !['127.0.0.1', '::1'].includes(options.host!)) {
        dialed.push(options.host!);
        throw new Error(`tripwire: refused to dial ${options.host}`);
      }
      const lookup = (hostname: string, o: object, cb: (...args: any[]) => void) =>
        inner!(hostname, o as never, ((err: Error | null, address: unknown, family?: number) => {
          if (err) return cb(err);
          const list = Array.isArray(address) ? address.map((a: { address: string }) => a.address) : [address as string];
          const foreign = list.filter((a) => a !== '127.0.0.1' && a !== '::1');
          if (foreign.length > 0) {
            dialed.push(...foreign);
            return cb(new Error(`tripwire: refused to dial ${foreign.join(', ')}`));
          }
          return cb(null, address, family);
        }) as never);
      return realConnect({ ...options, lookup: inner && lookup } as net.TcpNetConnectOpts);
    }) as typeof net.connect);
  });

  afterEach(() => {
    connections = 0;
    requests = 0;
    dialed.length = 0;
  });

  afterAll(async () => {
    connectSpy.mockRestore();
    await Promise.all(agents.map((a) => a.close()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function agent(opts: Parameters<typeof createGuardedAgent>[0]) {
    const a = createGuardedAgent(opts);
    agents.push(a);
    return a;
  }

  it('refuses a name resolving to a private address in lookup, before any dial', async () => {
    const lookupAll = fakeResolver({ 'evil.example': [v4('10.0.0.1')] });
    const dispatcher = agent({ allowPrivate: false, lookupAll });
    const socketsBefore = connectSpy.mock.calls.length;
    const err = await blockedBy(request(`http://evil.example:${port}/`, { dispatcher }));
    expect(err.address).toBe('10.0.0.1');
    expect(err.range).toBe('private');
    expect(lookupAll.asked).toEqual(['evil.example']);
    // The socket was created (so the tripwire was armed) but its lookup refused: nothing was dialed.
    expect(connectSpy.mock.calls.length).toBe(socketsBefore + 1);
    expect(dialed).toEqual([]);
  });

  it('refuses a name resolving to this loopback server, which then sees no connection', async () => {
    const lookupAll = fakeResolver({ 'evil.example': [v4('127.0.0.1')] });
    const dispatcher = agent({ allowPrivate: false, lookupAll });
    const err = await blockedBy(request(`http://evil.example:${port}/`, { dispatcher }));
    expect(err.range).toBe('loopback');
    expect(connections).toBe(0);
  });

  it.each([`http://127.0.0.1:PORT/`, `http://[::ffff:127.0.0.1]:PORT/`, `https://127.0.0.1:PORT/`])(
    'refuses the literal %s before dialing, though net.connect would skip lookup',
    async (template) => {
      const dispatcher = agent({ allowPrivate: false, lookupAll: noDns });
      const err = await blockedBy(request(template.replace('PORT', String(port)), { dispatcher }));
      expect(err.range).toMatch(/loopback$/);
      expect(connections).toBe(0);
    },
  );

  it('reaches a loopback receiver through a resolved name when allowPrivate is set', async () => {
    const lookupAll = fakeResolver({ 'evil.example': [v4('127.0.0.1')] });
    const dispatcher = agent({ allowPrivate: true, lookupAll, connections: 2, keepAliveTimeoutMs: 1_000 });
    const res = await request(`http://evil.example:${port}/`, { dispatcher });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('reached');
    expect(lookupAll.asked).toEqual(['evil.example']);
    expect(requests).toBe(1);
    expect(connections).toBe(1);
  });

  it('reaches a loopback literal when allowPrivate is set', async () => {
    const dispatcher = agent({ allowPrivate: true, lookupAll: noDns });
    const res = await request(`http://127.0.0.1:${port}/`, { dispatcher });
    expect(await res.body.text()).toBe('reached');
    expect(requests).toBe(1);
  });
});
