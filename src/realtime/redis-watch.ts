import type Redis from 'ioredis';
import type { Logger } from '../logger';

/**
 * Watches Hookline's Redis connections as one: an outage starts when any of them fails (ioredis
 * emits an error on every reconnect attempt; it is logged once per outage, never per retry) and ends
 * when all of them are ready again. Webhooks never need Redis; live subscriptions do.
 */
export function watchRedis(clients: Record<string, Redis>, log: Logger, on: { lost(since: Date): void; back(since: Date): void }) {
  const down = new Set<string>();
  let since: Date | undefined;
  let stopping = false;
  const failed = (name: string, err?: Error) => {
    if (stopping) return;
    down.add(name);
    if (since) return;
    since = new Date();
    log.error({ err, redis: name }, 'Redis unreachable: live subscriptions are interrupted until it is back (webhooks are not affected)');
    on.lost(since);
  };
  for (const [name, client] of Object.entries(clients)) {
    client.on('error', (err: Error) => failed(name, err));
    // A connection that was up and closed: events published meanwhile are lost to this process.
    client.on('close', () => failed(name));
    client.on('ready', () => {
      down.delete(name);
      if (!since || down.size) return;
      const was = since;
      since = undefined;
      log.warn({ seconds: (Date.now() - was.getTime()) / 1000 }, 'Redis reachable again');
      on.back(was);
    });
  }
  return {
    /** When the current outage began; undefined while Redis is up. */
    outageSince: () => since,
    /** No more outage reports: the connections are being closed on purpose. */
    stop() {
      stopping = true;
    },
  };
}
