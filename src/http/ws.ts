import type http from 'node:http';
import type { Socket } from 'node:net';
import { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema, parse, specifiedRules, subscribe, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken, Context } from '../context';
import { isDatabaseUnavailable } from '../db/errors';
import { databaseUnavailable, ErrorCode } from '../domain/errors';
import type { Principal } from '../domain/api-keys.service';
import { formatError } from '../graphql/errors';
import { assertWithinCost, limitError, MAX_TOKENS } from '../graphql/limits';
import { LIVE_FIELDS } from '../graphql/realtime/live-fields';
import { TextCache } from '../graphql/text-cache';
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
/** Close code for a socket whose key is missing, invalid or revoked (graphql-ws's Forbidden). */
export const CLOSE_FORBIDDEN = 4403;
/** Close code while the database cannot be reached (WebSocket's "Try Again Later"); clients may reconnect. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** Close code for a key that already has HOOKLINE_KEY_MAX_SOCKETS sockets open on this process. */
export const CLOSE_TOO_MANY_SOCKETS = 4029;
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
export function attachGraphQLWs(opts: {
  server: http.Server;
  schema: GraphQLSchema;
  services: Services;
  log: Logger;
  /** Logs a database outage (rate-limited). */
  reportOutage: (err: unknown) => void;
  /** Live subscriptions go through this process's multiplexer when given. */
  realtime?: Realtime;
  path?: string;
}) {
  const { schema, services, log, reportOutage } = opts;
  // No compression: the multiplexer writes whole uncompressed frames (frameWriter).
  const wss = new WebSocketServer({ server: opts.server, path: opts.path ?? '/graphql', maxPayload: WS_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  wss.on('connection', (socket) => boundSocketBuffer(socket, log));
  /** The caller behind each authenticated socket (the periodic key re-check walks the sockets). */
  const principals = new WeakMap<WebSocket, Principal>();
  const format = formatError((err) => log.error({ err }, 'unexpected error in a subscription'), reportOutage);
  const formatResult = (result: ExecutionResult) =>
    result.errors?.length ? { ...result, errors: result.errors.map((e) => format(e instanceof GraphQLError ? e.toJSON() : e, e)) } : result;
  // Subscribers of one account asking the same thing share one execution per message (live-hub.ts).
  const hub = opts.realtime && createLiveHub({ pubSub: opts.realtime.pubSub, fields: LIVE_FIELDS, formatResult, writeFrames: frameWriter(log), log });
  /**
   * Parsed and validated once per distinct query text, not once per subscriber: the parse (its
   * tokens and locations) stayed in memory for as long as each subscription ran. Parse errors are
   * not kept (they throw, and are answered below).
   */
  const documents = new TextCache<{ document: DocumentNode; errors?: undefined } | { errors: readonly GraphQLError[] }>((query) => {
    const document = parse(query, { maxTokens: MAX_TOKENS });
    // The limits first: some of graphql's own rules are super-linear on a hostile document.
    const tooBig = limitError(schema, document);
    if (tooBig) return { errors: [tooBig] };
    const errors = validate(schema, document, specifiedRules);
    return errors.length ? { errors } : { document };
  });
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
        let principal: Principal;
        try {
          principal = await services.apiKeys.authenticate(token);
        } catch (err) {
          // An outage is not a bad key: say "try again later" so that clients reconnect.
          if (isDatabaseUnavailable(err)) {
            reportOutage(err);
            ctx.extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'Service unavailable: the database cannot be reached');
          }
          return false;
        }
        const keyId = principal.apiKey.id;
        // Closed while the key was being looked up: its 'close' has fired already, count nothing.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        if (!services.limits.openSocket(keyId)) {
          ctx.extra.socket.close(CLOSE_TOO_MANY_SOCKETS, 'Too many sockets for this API key');
          return false;
        }
        ctx.extra.socket.once('close', () => services.limits.closeSocket(keyId));
        principals.set(ctx.extra.socket, principal);
        return true;
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
        let active: boolean;
        try {
          active = !!keyId && (await services.apiKeys.isActive(keyId));
        } catch (err) {
          if (!isDatabaseUnavailable(err)) throw err;
          reportOutage(err);
          const e = databaseUnavailable();
          return [new GraphQLError(e.message, { extensions: { code: e.code, retryAfterSeconds: e.retryAfterSeconds } })];
        }
        if (!active) {
          ctx.extra.socket.close(CLOSE_FORBIDDEN, 'Forbidden: API key revoked');
          return [new GraphQLError('Invalid API key', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        }
        let document;
        try {
          const checked = documents.get(payload.query);
          if (checked.errors) return checked.errors;
          document = checked.document;
          // The price depends on the variables: every subscription's own.
          assertWithinCost(schema, document, payload.variables ?? {}, payload.operationName);
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError('The operation could not be validated', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
        }
        const contextValue: Context = { principal: principal ?? null, services };
        targets.set(contextValue, { socket: ctx.extra.socket, id, query: payload.query });
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
    },
    wss,
    KEEP_ALIVE_MS,
  );
  // Streams opened with a key since revoked (through any process) are cut by the same re-check that expires cached keys.
  const unwatch = services.apiKeys.watch({
    keyIds: () => [...wss.clients].map((s) => principals.get(s)?.apiKey.id).filter((id): id is string => !!id),
    revoked: (ids) => {
      for (const s of wss.clients) if (ids.has(principals.get(s)?.apiKey.id ?? '')) s.close(CLOSE_FORBIDDEN, 'Forbidden: API key revoked');
    },
    failed: (err) => log.warn({ err }, 'could not re-check API keys of open sockets'),
  });
  return {
    hub,
    async dispose() {
      unwatch();
      await handle.dispose();
    },
  };
}
