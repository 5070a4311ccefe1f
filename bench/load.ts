import { createHistogram, performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

/** What one closed-loop load phase measured. */
export interface LoadResult {
  requests: number;
  ms: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Closed-loop HTTP load, autocannon style: `clients` keep-alive connections, each sending the next
 * request as soon as the previous answer is read, for `durationMs`. A response other than 200, or a
 * body carrying `"errors"`, fails the phase: a fast error is not a result. `body(i)` may vary per
 * request (unique idempotency keys, say); latencies are kept in a histogram (microsecond resolution).
 * `agent`, when given, is the caller's (its open connections carry over from a warm-up, as a
 * keep-alive client's do); otherwise the phase opens its own connections and closes them at the end.
 */
export async function closedLoop(opts: {
  url: string;
  headers: Record<string, string>;
  body: (i: number) => string;
  clients: number;
  durationMs: number;
  agent?: Agent;
}): Promise<LoadResult> {
  const agent = opts.agent ?? keepAliveAgent(opts.clients);
  const histogram = createHistogram();
  const headers = { 'content-type': 'application/json', ...opts.headers };
  let sent = 0;
  let failure: string | undefined;
  const t0 = performance.now();
  const end = t0 + opts.durationMs;
  const lane = async () => {
    while (!failure && performance.now() < end) {
      const start = performance.now();
      const res = await request(opts.url, { dispatcher: agent, method: 'POST', headers, body: opts.body(sent++) });
      const text = await res.body.text();
      if (res.statusCode !== 200 || text.includes('"errors"')) failure ??= `HTTP ${res.statusCode}: ${text.slice(0, 500)}`;
      histogram.record(Math.max(1, Math.round((performance.now() - start) * 1000)));
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.clients }, lane));
  } finally {
    if (!opts.agent) await agent.close();
  }
  const ms = performance.now() - t0;
  if (failure) throw new Error(`load on ${opts.url} failed: ${failure}`);
  const requests = histogram.count;
  return { requests, ms, perSecond: (requests / ms) * 1000, p50Ms: histogram.percentile(50) / 1000, p99Ms: histogram.percentile(99) / 1000 };
}

/** `clients` keep-alive connections, one request at a time on each. */
export function keepAliveAgent(clients: number): Agent {
  return new Agent({ connections: clients, pipelining: 1, keepAliveTimeout: 60_000 });
}
