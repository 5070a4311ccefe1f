import { Client, cacheExchange, CombinedError, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

/** graphql-ws close code for a refused key (src/http/ws.ts CLOSE_FORBIDDEN). */
const CLOSE_FORBIDDEN = 4403;

export interface Api {
  client: Client;
  dispose(): void;
}

/**
 * One urql client per signed-in key: queries and mutations over HTTP POST with the key as a Bearer
 * header, subscriptions over graphql-ws on the same endpoint with the key in connectionParams.
 * Any UNAUTHENTICATED answer (a revoked key) calls `onRevoked` once.
 */
export function createApi(token: string, onRevoked: () => void): Api {
  const endpoint = new URL('/graphql', location.href);
  const socketUrl = new URL(endpoint);
  socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  let revoked = false;
  const revoke = () => {
    if (revoked) return;
    revoked = true;
    onRevoked();
  };
  const ws: WsClient = createWsClient({
    url: socketUrl.href,
    connectionParams: { authorization: `Bearer ${token}` },
    shouldRetry: (e) => !isForbiddenClose(e),
    on: { closed: (e) => isForbiddenClose(e) && revoke() },
  });
  const client = new Client({
    url: endpoint.href,
    // POST only: a GET would need a CSRF preflight header, and POST keeps variables out of URLs.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      mapExchange({ onError: (error) => isUnauthenticated(error) && revoke() }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe(
              { ...request, query: request.query ?? '' },
              // graphql-ws reports a closed socket as its CloseEvent; urql expects an Error (or GraphQL errors).
              { ...sink, error: (e: unknown) => sink.error(Array.isArray(e) || e instanceof Error ? e : new Error(closeReason(e))) },
            ),
          }),
        }),
      }),
    ],
  });
  return {
    client,
    // graphql-ws's dispose awaits a socket still connecting and rejects with its CloseEvent when the
    // server refuses it (a 401 over HTTP can sign out before the socket's 4403 arrives): such a socket
    // has nothing left to close, and its subscribers and on.closed hear of the close themselves.
    dispose: () => void Promise.resolve(ws.dispose()).catch(() => undefined),
  };
}

function closeReason(e: unknown): string {
  const close = e as { code?: number; reason?: string };
  return `connection closed (${close.code ?? 'no code'}${close.reason ? `: ${close.reason}` : ''})`;
}

function isForbiddenClose(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: number }).code === CLOSE_FORBIDDEN;
}

export function isUnauthenticated(error: CombinedError): boolean {
  if (error.response && (error.response as Response).status === 401) return true;
  return error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/** Field → messages from a BAD_USER_INPUT error (extensions.fieldErrors), for showing next to fields. */
export function fieldErrorsOf(error: CombinedError | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of error?.graphQLErrors ?? []) {
    const fields = e.extensions?.fieldErrors as Record<string, string[]> | undefined;
    if (fields) Object.assign(out, fields);
  }
  return out;
}

/** One line for an error that is not about a field. */
export function messageOf(error: CombinedError | undefined): string | undefined {
  if (!error) return undefined;
  if (error.networkError) return `Network error: ${error.networkError.message}`;
  return error.graphQLErrors.map((e) => e.message).join('; ');
}
