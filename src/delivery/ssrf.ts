import net from 'node:net';
import { Agent, buildConnector } from 'undici';
import { BlockedTargetError, classifyAddress, GuardOptions, resolveChecked } from '../net/address-policy';

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;

/** A `net.connect`-compatible `lookup`: resolves, refuses if ANY address is non-public (unless allowPrivate), and hands back only checked addresses so the socket dials exactly what was checked. Supports both `all: true` (autoSelectFamily) and single-address callbacks. */
export function guardedLookup(opts: GuardOptions): (hostname: string, options: object, callback: (...args: any[]) => void) => void {
  return (hostname, options, callback: LookupCallback) => {
    const { family, all } = options as { family?: number | string; all?: boolean };
    const wanted = family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : 0;
    resolveChecked(hostname, opts).then(
      (answers) => {
        const usable = wanted === 0 ? answers : answers.filter((a) => a.family === wanted);
        if (usable.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err);
        } else if (all) {
          callback(null, usable);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err),
    );
  };
}

/** Options of the guarded agent: the guard plus pool sizing. */
export interface GuardedAgentOptions extends GuardOptions {
  /** Sockets kept per origin. @default 10 */
  connections?: number;
  /** How long an idle socket stays open for reuse, in milliseconds. @default 4_000 */
  keepAliveTimeoutMs?: number;
}

/** An undici Agent that dials only public addresses: names go through guardedLookup, and IP literals (which net.connect never looks up) are checked before dialing. */
export function createGuardedAgent(opts: GuardedAgentOptions): Agent {
  const { connections = 10, keepAliveTimeoutMs = 4_000, ...guard } = opts;
  const dial = buildConnector({ lookup: guardedLookup(guard) });
  const connect: buildConnector.connector = (options, callback) => {
    // undici has already stripped IPv6 brackets from hostname.
    if (!guard.allowPrivate && net.isIP(options.hostname) !== 0) {
      const verdict = classifyAddress(options.hostname);
      if (!verdict.public) {
        callback(new BlockedTargetError(options.hostname, options.hostname, verdict.range), null);
        return;
      }
    }
    dial(options, callback);
  };
  return new Agent({ connections, keepAliveTimeout: keepAliveTimeoutMs, connect });
}
