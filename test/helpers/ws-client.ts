import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A real graphql-ws client for a Hookline URL (http://… → ws://…/graphql). */
export function wsClient(url: string, token: string | null, opts: { lazy?: boolean; retryAttempts?: number } = {}): Client {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: opts.lazy ?? true,
    retryAttempts: opts.retryAttempts ?? 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** Collects what a subscription yields; `next(n)` waits (with a deadline) until n results arrived. */
export function collect<T = any>(client: Client, query: string, variables?: Record<string, unknown>) {
  const results: { data?: T; errors?: any[] }[] = [];
  let error: unknown;
  let waiters: (() => void)[] = [];
  const notify = () => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        results.push(r as { data?: T; errors?: any[] });
        notify();
      },
      error: (e) => {
        error = e;
        notify();
      },
      complete: notify,
    },
  );
  return {
    results,
    get error() {
      return error;
    },
    async next(n: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < n && !error) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`waited ${timeoutMs} ms for ${n} results, got ${results.length}: ${JSON.stringify(results)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      if (error && results.length < n) throw error instanceof Error ? error : new Error(JSON.stringify(error));
      return results.slice(0, n);
    },
    dispose,
  };
}
