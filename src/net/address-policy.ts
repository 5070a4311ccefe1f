/**
 * The target policy shared by the domain (save-time checks) and the delivery engine (connect-time
 * guard): which addresses are public, and whether a URL may be a webhook target. A leaf with no
 * HTTP client in it, so the domain can import it without pulling undici in.
 */
import { promises as dnsPromises } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

const ALLOW_HINT = 'set HOOKLINE_ALLOW_PRIVATE_TARGETS=true to allow private targets in development';

/** Thrown when a target is not public; `code` is 'BLOCKED_TARGET'. Message names the address and range and points at HOOKLINE_ALLOW_PRIVATE_TARGETS. */
export class BlockedTargetError extends Error {
  readonly code = 'BLOCKED_TARGET';

  /**
   * `host` as written in the URL, `address` the literal or resolved address that was refused, `range`
   * its classification. The message names only the host: saying what a name resolves to would map the
   * internal network for whoever saves webhooks; `address` and `range` stay for the operator.
   */
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`webhook target ${host} is not a public address; ${ALLOW_HINT}`);
    this.name = 'BlockedTargetError';
  }
}

/** The verdict on one IP address: `range` is an ipaddr.js range name, `cloudMetadata`, or `<embedding>:<IPv4 range>` for IPv6 forms that carry an IPv4 address. */
export interface AddressClass {
  public: boolean;
  range: string;
}

/** One resolver answer, shaped like `dns.promises.lookup(host, { all: true })`. */
export type LookupAll = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

/** How strict the guard is and where it resolves names. */
export interface GuardOptions {
  /** Lets loopback, private and other non-public targets through; for development and tests only. */
  allowPrivate: boolean;
  /** injected for tests; default dns.promises.lookup(all:true) */
  lookupAll?: LookupAll;
}

// Instance metadata services answer with credentials; named apart so the error says what was at stake.
const CLOUD_METADATA = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'].map((ip) => ipaddr.parse(ip));
// Only 2000::/3 is allocated as global unicast; ipaddr.js calls anything unlisted 'unicast', even ::/8 leftovers.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** Classifies one IP literal (brackets and any IPv4 spelling inet_aton accepts are fine): { public: boolean; range: string } */
export function classifyAddress(ip: string): AddressClass {
  const literal = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(literal)) return { public: false, range: 'invalid' };
  const addr = ipaddr.parse(literal);
  if (CLOUD_METADATA.some((m) => m.kind() === addr.kind() && addr.match(m, addr.kind() === 'ipv4' ? 32 : 128))) {
    return { public: false, range: 'cloudMetadata' };
  }
  return addr.kind() === 'ipv4' ? classifyV4(addr as ipaddr.IPv4) : classifyV6(addr as ipaddr.IPv6);
}

function classifyV4(addr: ipaddr.IPv4): AddressClass {
  const range: string = addr.range();
  return { public: range === 'unicast', range };
}

function classifyV6(addr: ipaddr.IPv6): AddressClass {
  const range: string = addr.range();
  if (range === 'unspecified' || range === 'loopback') return { public: false, range };
  const embedded = embeddedIPv4(addr, range);
  if (embedded) {
    // A translated or tunnelled address ends up at its IPv4 payload, so the payload decides.
    const verdicts = embedded.addresses.map((v4) => classifyAddress(v4.toString()));
    const worst = verdicts.find((v) => !v.public) ?? verdicts[0];
    return { public: worst.public, range: `${embedded.via}:${worst.range}` };
  }
  if (range !== 'unicast') return { public: false, range };
  if (!addr.match(GLOBAL_UNICAST_V6)) return { public: false, range: 'reserved' };
  return { public: true, range };
}

function v4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 addresses an IPv6 form carries (mapped, translated, compatible, NAT64, 6to4, Teredo), or null. */
function embeddedIPv4(addr: ipaddr.IPv6, range: string): { via: string; addresses: ipaddr.IPv4[] } | null {
  const p = addr.parts;
  const tail = v4FromParts(p[6], p[7]);
  if (range === 'ipv4Mapped' || range === 'rfc6145') return { via: range, addresses: [tail] };
  if (range === 'rfc6052' && addr.match(NAT64_WELL_KNOWN)) return { via: 'nat64', addresses: [tail] };
  if (range === '6to4') return { via: range, addresses: [v4FromParts(p[1], p[2])] };
  // Teredo: server address in plain sight, client address XOR-obfuscated in the last 32 bits (RFC 4380).
  if (range === 'teredo') return { via: range, addresses: [v4FromParts(p[2], p[3]), v4FromParts(p[6] ^ 0xffff, p[7] ^ 0xffff)] };
  if (range === 'unicast' && addr.match(IPV4_COMPATIBLE)) return { via: 'ipv4Compatible', addresses: [tail] };
  return null;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

// RFC 6761: every *.localhost name is loopback, whatever a resolver might claim.
function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function assertPublicAddress(host: string, address: string): void {
  const verdict = classifyAddress(address);
  if (!verdict.public) throw new BlockedTargetError(host, address, verdict.range);
}

const defaultLookupAll: LookupAll = async (hostname) => {
  const answers = await dnsPromises.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Resolves a name and refuses it if any answer is non-public, so rebinding to one private record cannot slip through. */
export async function resolveChecked(hostname: string, opts: GuardOptions): Promise<{ address: string; family: 4 | 6 }[]> {
  const host = unbracket(hostname);
  const literalFamily = net.isIP(host);
  if (literalFamily !== 0) {
    if (!opts.allowPrivate) assertPublicAddress(host, host);
    return [{ address: host, family: literalFamily === 6 ? 6 : 4 }];
  }
  if (!opts.allowPrivate && isLocalhostName(host)) throw new BlockedTargetError(host, host, 'loopback');
  const answers = await (opts.lookupAll ?? defaultLookupAll)(host);
  if (!opts.allowPrivate) for (const answer of answers) assertPublicAddress(host, answer.address);
  return answers;
}

/** Save-time check of a webhook URL: http/https only; every address the host is or resolves to must be public unless allowPrivate (then no DNS is done). Throws BlockedTargetError, or a plain Error for a bad URL or a host that does not resolve. */
export async function assertPublicUrl(url: string, opts: GuardOptions): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('webhook URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`webhook URL must use http or https, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (opts.allowPrivate) return;
  let answers: { address: string }[];
  try {
    answers = await resolveChecked(parsed.hostname, opts);
  } catch (err) {
    if (err instanceof BlockedTargetError) throw err;
    throw new Error(`webhook host ${parsed.hostname} does not resolve`, { cause: err });
  }
  if (answers.length === 0) throw new Error(`webhook host ${parsed.hostname} does not resolve`);
}
