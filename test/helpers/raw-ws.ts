import WebSocket from 'ws';

/** A graphql-transport-ws socket driven message by message, to see close codes and error frames as sent. */
export interface RawGraphQLSocket {
  socket: WebSocket;
  /** The close code once closed (undefined while open). */
  closeCode?: number;
  /** Resolves with the next message of `type` for subscription `id` (any id when omitted), or rejects on close / deadline. */
  next(type: string, id?: string, timeoutMs?: number): Promise<any>;
  /** Resolves with the close code (rejects after timeoutMs). */
  closed(timeoutMs?: number): Promise<number>;
}

/**
 * Opens a socket to `url` (http://…), sends connection_init with the key, and resolves once the server
 * acknowledged or closed it (look at `closeCode`).
 */
export async function openRawSocket(url: string, token: string, timeoutMs = 5_000): Promise<RawGraphQLSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: any[] = [];
  let wake = () => {};
  const raw: RawGraphQLSocket = {
    socket,
    async next(type, id, ms = timeoutMs) {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = messages.findIndex((m) => m.type === type && (id === undefined || m.id === id));
        if (i >= 0) return messages.splice(i, 1)[0];
        if (raw.closeCode !== undefined) throw new Error(`socket closed (${raw.closeCode}) before a ${type} message`);
        if (Date.now() > deadline) throw new Error(`no ${type} message within ${ms} ms; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
    async closed(ms = timeoutMs) {
      const deadline = Date.now() + ms;
      while (raw.closeCode === undefined) {
        if (Date.now() > deadline) throw new Error(`socket not closed within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return raw.closeCode;
    },
  };
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    wake();
  });
  socket.on('close', (code) => {
    raw.closeCode = code;
    wake();
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not open')), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.once('open', done);
    socket.once('close', done);
  });
  if (raw.closeCode === undefined) socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await Promise.race([raw.next('connection_ack').catch(() => undefined), raw.closed().catch(() => undefined)]);
  return raw;
}
