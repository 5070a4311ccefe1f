import type http from 'node:http';
import type { Socket } from 'node:net';
import { ExecutionResult, GraphQLError, GraphQLSchema, parse, specifiedRules, subscribe, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken, Context } from '../context';
import { ErrorCode } from '../domain/errors';
import type { Principal } from '../domain/api-keys.service';
import { formatError } from '../graphql/errors';
import { complexityError, depthLimitRule } from '../graphql/limits';
import { LIVE_FIELDS } from '../graphql/realtime/live-fields';
import type { Logger } from '../logger';
import { createLiveHub, FrameWriter, LiveTarget } from '../realtime/live-hub';
import type { Realtime } from '../realtime/pubsub';
import type { Services } from '../services';

/** Subscriptions one socket may hold at once. @default 100 */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
/** Largest message a client may send (bytes). @default 1 MiB */
export const WS_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Bytes queued to a socket before it counts as too slow and is closed. @default 4 MiB */
export const WS_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Close code for a subscriber that stopped reading. */
export const CLOSE_TOO_SLOW = 4008;
/** How long a client has to send connection_init (ms). @default 3000 */
export const CONNECTION_INIT_TIMEOUT_MS = 3_000;
/** How often open sockets are re-checked for revoked keys (ms). @default 5000 */
export const KEY_RECHECK_MS = 5_000;
/** Close code for a socket whose key is missing, invalid or revoked (graphql-ws's Forbidden). */
export const CLOSE_FORBIDDEN = 4403;
/** Ping interval (and pong deadline). @default 12 s */
export const KEEP_ALIVE_MS = 12_000;

type Extra = { socket: WebSocket };

/**
 * Never let a slow socket slow anyone else: sends do not wait for the network (graphql-ws would
 * otherwise await every write and queue messages without bound); instead, once a socket has more than
 * WS_MAX_BUFFERED_BYTES unsent, it is closed with 4008. False when nothing more may be sent to it.
 */
function mayWrite(socket: WebSocket, log: Logger): boolean {
  // Already closing (cut off, or gone): nothing more to send or to log.
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount <= WS_MAX_BUFFERED_BYTES) return true;
  log.warn({ buffered: socket.bufferedAmount }, 'closing a subscriber that stopped reading');
  socket.close(CLOSE_TOO_SLOW, 'Subscriber too slow: stopped reading');
  setTimeout(() => socket.terminate(), 1_000).unref();
  return false;
}

/** graphql-ws's own sends (acks, errors, non-multiplexed results) under the same limit. */
function boundSocketBuffer(socket: WebSocket, log: Logger) {
  const send = socket.send.bind(socket);
  socket.send = ((data: unknown, cb?: (err?: Error) => void) => {
    if (mayWrite(socket, log)) send(data as string);
    cb?.();
  }) as typeof socket.send;
}

/**
 * The multiplexer's writes: frames it built whole (live-hub.ts textFrame) go straight to the TCP
 * socket under the same limit; ws's bufferedAmount counts them, and ws's own sender keeps no queue of
 * its own (no compression here), so frames stay in order with graphql-ws's messages. Several frames
 * for one socket leave in one write.
 */
function frameWriter(log: Logger): FrameWriter {
  return (socket, frames) => {
    if (!mayWrite(socket, log)) return;
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    if (frames.length > 1) tcp.cork();
    for (const frame of frames) tcp.write(frame);
    if (frames.length > 1) tcp.uncork();
  };
}

/** graphql-ws (graphql-transport-ws) on the HTTP server's /graphql path, with the HTTP rules applied. */
export function attachGraphQLWs(opts: { server: http.Server; schema: GraphQLSchema; services: Services; log: Logger; realtime?: Realtime; path?: string }) {
  const { schema, services, log } = opts;
  // No compression: the multiplexer writes whole uncompressed frames (frameWriter).
  const wss = new WebSocketServer({ server: opts.server, path: opts.path ?? '/graphql', maxPayload: WS_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  wss.on('connection', (socket) => boundSocketBuffer(socket, log));
  const rules = [...specifiedRules, depthLimitRule()];
  /** The caller behind each authenticated socket (the periodic key re-check walks the sockets). */
  const principals = new WeakMap<WebSocket, Principal>();
  const format = formatError((err) => log.error({ err }, 'unexpected error in a subscription'));
  const formatResult = (result: ExecutionResult) =>
    result.errors?.length ? { ...result, errors: result.errors.map((e) => format(e instanceof GraphQLError ? e.toJSON() : e, e)) } : result;
  // Subscribers of one account asking the same thing share one execution per message (live-hub.ts).
  const hub = opts.realtime && createLiveHub({ pubSub: opts.realtime.pubSub, fields: LIVE_FIELDS, formatResult, writeFrames: frameWriter(log), log });
  /** Each subscription's socket and id, by its context object (what graphql-ws hands to `subscribe`). */
  const targets = new WeakMap<object, LiveTarget>();
  const handle = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      // A missing or bad key closes the socket with 4403 Forbidden.
      onConnect: async (ctx) => {
        const token = bearerToken(typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined);
        if (!token) return false;
        try {
          principals.set(ctx.extra.socket, await services.apiKeys.authenticate(token));
          return true;
        } catch {
          return false;
        }
      },
      // Errors look the same as over HTTP (extensions.code, fieldErrors).
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e)),
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result),
      subscribe: (args) => {
        const target = targets.get(args.contextValue as object);
        const accountId = (args.contextValue as Context).principal?.account.id;
        return (hub && target && accountId && hub.subscribe(args, target, accountId)) || subscribe(args);
      },
      // The same validation as HTTP: graphql-ws applies only the spec rules by itself.
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws has already registered this id, so count the others.
        if (Object.keys(ctx.subscriptions).filter((k) => k !== id).length >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per socket`, { extensions: { code: ErrorCode.RATE_LIMITED } })];
        }
        // A key revoked since the socket opened starts nothing more, and the socket is closed.
        const principal = principals.get(ctx.extra.socket);
        const keyId = principal?.apiKey.id;
        if (!keyId || !(await services.apiKeys.activeIds([keyId])).has(keyId)) {
          ctx.extra.socket.close(CLOSE_FORBIDDEN, 'Forbidden: API key revoked');
          return [new GraphQLError('Invalid API key', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (e) {
          return [e as GraphQLError];
        }
        const errors = validate(schema, document, rules);
        if (errors.length) return errors;
        const tooComplex = complexityError(schema, document, payload.variables ?? {}, payload.operationName);
        if (tooComplex) return [tooComplex];
        const contextValue: Context = { principal: principal ?? null, services };
        targets.set(contextValue, { socket: ctx.extra.socket, id, query: payload.query });
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
    },
    wss,
    KEEP_ALIVE_MS,
  );
  // Streams opened with a key that has since been revoked (through any process) are cut within KEY_RECHECK_MS.
  const recheck = setInterval(async () => {
    const open = [...wss.clients].map((s) => ({ socket: s, keyId: principals.get(s)?.apiKey.id })).filter((o) => o.keyId);
    if (!open.length) return;
    try {
      const active = await services.apiKeys.activeIds([...new Set(open.map((o) => o.keyId!))]);
      for (const o of open) if (!active.has(o.keyId!)) o.socket.close(CLOSE_FORBIDDEN, 'Forbidden: API key revoked');
    } catch (err) {
      log.warn({ err }, 'could not re-check API keys of open sockets');
    }
  }, KEY_RECHECK_MS);
  recheck.unref();
  return {
    hub,
    async dispose() {
      clearInterval(recheck);
      await handle.dispose();
    },
  };
}
