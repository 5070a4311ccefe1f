import { performance } from 'node:perf_hooks';
import { setImmediate as nextTick } from 'node:timers/promises';
import { execute, ExecutionArgs, ExecutionResult, getArgumentValues, getOperationAST, getVariableValues, Kind } from 'graphql';
import type { WebSocket } from 'ws';
import { LiveField, messageType } from '../graphql/realtime/live-fields';
import type { Logger } from '../logger';
import type { RealtimePubSub, RealtimeTopics } from './pubsub';

/** Where one graphql-ws subscription's frames go: its socket, its id, and the query text it sent. */
export interface LiveTarget {
  socket: WebSocket;
  id: string;
  query: string;
}

/** Longest the fan-out sends before it lets other work (HTTP requests, publishing, webhooks) run (ms). @default 1 */
export const SLICE_MS = 1;

/**
 * One unmasked text frame (RFC 6455 §5.2: FIN, opcode 1, no mask from a server) holding `head` then
 * `payload`: the bytes ws's Sender writes for `send(head + payload)`, built in one buffer.
 */
export function textFrame(head: Buffer, payload: Buffer): Buffer {
  const length = head.length + payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  head.copy(frame, header);
  payload.copy(frame, header + head.length);
  return frame;
}

/** Writes ready-made WebSocket frames to a socket, in order and within its send limits (see http/ws.ts). */
export type FrameWriter = (socket: WebSocket, frames: Buffer[]) => void;

type Topic = keyof RealtimeTopics;
type Done = IteratorResult<never, undefined>;
const DONE: Done = { done: true, value: undefined };

interface Subscriber {
  /** `{"id":"<id>","type":"next","payload":` — the frame up to the shared payload. */
  head: Buffer;
  socket: WebSocket;
  group: Group;
  /** Ends its stream: done, or with an error the client gets as an `error` message. */
  end(error?: unknown): void;
}

/** Subscribers of one account with the same field, document and variables: one execution, one payload per message. */
interface Group {
  key: string;
  feed: Feed;
  types: string[] | undefined;
  filterKey: string;
  filter: (message: never) => boolean;
  execArgs: ExecutionArgs;
  subscribers: Set<Subscriber>;
}

/** One pub/sub subscription per (topic, account) while this process has groups on it. */
interface Feed {
  key: string;
  groups: Set<Group>;
  byType: Map<string, Set<Group>>;
  anyType: Set<Group>;
  stream: AsyncIterator<unknown>;
}

/**
 * The live multiplexer (see README, "Live subscriptions"). graphql-ws would run every subscription
 * on its own: one pub/sub listener, one filter call, one GraphQL execution and one JSON.stringify per
 * subscriber per message. Here subscribers of one account asking the same document with the same
 * variables form a group: each message is matched once per distinct filter, executed and serialised
 * once per group, and each subscriber's frame is that payload behind its own id. Event and Delivery
 * fields depend only on the message, never on who asks, so one execution serves the whole group.
 *
 * Fan-out runs off the publish path: messages are queued and sent from a later tick, in slices of
 * SLICE_MS, through each socket's bounded send (a slow socket is cut off, never waited for).
 */
export function createLiveHub(opts: {
  pubSub: RealtimePubSub;
  fields: Readonly<Record<string, LiveField>>;
  /** The `next` payload graphql-ws would send for this result (errors formatted as over HTTP). */
  formatResult: (result: ExecutionResult) => unknown;
  writeFrames: FrameWriter;
  log: Logger;
}) {
  const feeds = new Map<string, Feed>();
  const groups = new Map<string, Group>();
  const inbox: { feed: Feed; topic: Topic; message: unknown }[] = [];
  let draining = false;

  function openFeed(topic: Topic, accountId: string): Feed {
    const key = `${topic}:${accountId}`;
    let feed = feeds.get(key);
    if (feed) return feed;
    const stream = opts.pubSub.subscribe(topic, accountId)[Symbol.asyncIterator]();
    const created: Feed = { key, groups: new Set(), byType: new Map(), anyType: new Set(), stream };
    feeds.set(key, created);
    void (async () => {
      try {
        for (let r = await stream.next(); !r.done; r = await stream.next()) {
          inbox.push({ feed: created, topic, message: r.value });
          if (!draining) {
            draining = true;
            setImmediate(() => void drain());
          }
        }
      } catch (err) {
        // The pub/sub reports a gap (see pubsub.ts): every stream of this feed ends with it.
        for (const g of [...created.groups]) for (const s of [...g.subscribers]) s.end(err);
      }
    })();
    return created;
  }

  function leave(sub: Subscriber): void {
    const { group } = sub;
    if (!group.subscribers.delete(sub) || group.subscribers.size) return;
    groups.delete(group.key);
    const { feed } = group;
    feed.groups.delete(group);
    if (!group.types) feed.anyType.delete(group);
    for (const t of group.types ?? []) feed.byType.get(t)?.delete(group);
    if (feed.groups.size) return;
    feeds.delete(feed.key);
    void feed.stream.return?.();
  }

  /** Matches and executes every queued message, then writes each subscriber its frames, in order. */
  async function drain(): Promise<void> {
    try {
      while (inbox.length) {
        const frames = new Map<Subscriber, Buffer[]>();
        for (const { feed, topic, message } of inbox.splice(0, inbox.length)) {
          const type = messageType(topic, message);
          const typed = type === undefined ? undefined : feed.byType.get(type);
          const decided = new Map<string, boolean>();
          for (const group of [...feed.anyType, ...(typed ?? [])]) {
            let matches = decided.get(group.filterKey);
            if (matches === undefined) {
              matches = group.filter(message as never);
              decided.set(group.filterKey, matches);
            }
            if (!matches || !group.subscribers.size) continue;
            const result = await execute({ ...group.execArgs, rootValue: message });
            const payload = Buffer.from(`${JSON.stringify(opts.formatResult(result))}}`);
            for (const sub of group.subscribers) {
              const queued = frames.get(sub);
              if (queued) queued.push(payload);
              else frames.set(sub, [payload]);
            }
          }
        }
        let sliceStart = performance.now();
        let n = 0;
        for (const [sub, payloads] of frames) {
          // Unsubscribed or cut off while earlier slices went out.
          if (sub.group.subscribers.has(sub)) opts.writeFrames(sub.socket, payloads.map((p) => textFrame(sub.head, p)));
          if (++n % 32 === 0 && performance.now() - sliceStart > SLICE_MS) {
            await nextTick();
            sliceStart = performance.now();
          }
        }
      }
    } catch (err) {
      opts.log.error({ err }, 'live fan-out failed');
    } finally {
      draining = false;
      if (inbox.length) {
        draining = true;
        setImmediate(() => void drain());
      }
    }
  }

  return {
    /**
     * An async iterator that serves this subscription from a group (it never yields: frames go
     * straight to the socket; it ends when graphql-ws returns it, or throws a gap error), or
     * undefined when graphql's own subscribe must serve it: fields the hub does not know, root
     * directives or fragments, and variables or arguments graphql would refuse (it then answers with
     * exactly its own errors).
     */
    subscribe(args: ExecutionArgs, target: LiveTarget, accountId: string): AsyncIterableIterator<never> | undefined {
      const op = getOperationAST(args.document, args.operationName);
      const node = op?.operation === 'subscription' && op.selectionSet.selections.length === 1 ? op.selectionSet.selections[0] : undefined;
      if (!op || node?.kind !== Kind.FIELD || node.directives?.length) return undefined;
      const field = opts.fields[node.name.value];
      const def = args.schema.getSubscriptionType()?.getFields()[node.name.value];
      if (!field || !def) return undefined;
      const vars = getVariableValues(args.schema, op.variableDefinitions ?? [], args.variableValues ?? {});
      if (vars.errors) return undefined;
      let fieldArgs: Record<string, unknown>;
      try {
        fieldArgs = getArgumentValues(def, node, vars.coerced);
      } catch {
        return undefined;
      }
      if (!field.accepts(fieldArgs)) return undefined;

      const key = JSON.stringify([accountId, args.operationName ?? null, target.query, args.variableValues ?? null]);
      let group = groups.get(key);
      if (!group) {
        const feed = openFeed(field.topic, accountId);
        const types = field.types(fieldArgs);
        group = { key, feed, types, filterKey: field.filterKey(fieldArgs), filter: field.filter(fieldArgs), execArgs: args, subscribers: new Set() };
        groups.set(key, group);
        feed.groups.add(group);
        if (!types) feed.anyType.add(group);
        for (const t of types ?? []) feed.byType.set(t, (feed.byType.get(t) ?? new Set()).add(group));
      }

      let ended: { error?: unknown } | undefined;
      let waiting: { resolve(r: Done): void; reject(e: unknown): void } | undefined;
      const sub: Subscriber = {
        head: Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`),
        socket: target.socket,
        group,
        end(error) {
          if (ended) return;
          ended = { error };
          leave(sub);
          if (!waiting) return;
          if (error) waiting.reject(error);
          else waiting.resolve(DONE);
        },
      };
      group.subscribers.add(sub);
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        next: () =>
          new Promise<Done>((resolve, reject) => {
            if (!ended) waiting = { resolve, reject };
            else if (ended.error) reject(ended.error);
            else resolve(DONE);
          }),
        return: async () => {
          sub.end();
          return DONE;
        },
        throw: async (error?: unknown) => {
          sub.end();
          throw error;
        },
      };
    },
    /** Groups and subscribers this process serves (for tests and metrics). */
    size: () => ({ groups: groups.size, subscribers: [...groups.values()].reduce((n, g) => n + g.subscribers.size, 0) }),
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
