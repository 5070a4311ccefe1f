import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** What the receiver saw since the last reset; latencies in ms (event created → request arrived). */
export interface ReceiverStats {
  count: number;
  samples: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** The loopback receiver process, seen from the bench. */
export interface BenchReceiver {
  /** http://127.0.0.1:port/hook */
  url: string;
  /** Zeroes the counters; `trackLatency` parses every body for its `timestamp`. */
  reset(trackLatency?: boolean): Promise<void>;
  stats(): Promise<ReceiverStats>;
  /** The receiver's pid, for its CPU time. */
  pid: number | undefined;
  close(): Promise<void>;
}

/** Longest wait for the receiver to answer an IPC command. @default 10_000 */
const IPC_TIMEOUT_MS = 10_000;

function ask<T>(child: ChildProcess, cmd: Record<string, unknown>, reply: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`receiver did not answer ${reply} within ${IPC_TIMEOUT_MS} ms`));
    }, IPC_TIMEOUT_MS);
    function onMessage(m: { cmd: string }) {
      if (m.cmd !== reply) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m as T);
    }
    child.on('message', onMessage);
    if (Object.keys(cmd).length) child.send(cmd);
  });
}

/** Forks the receiver (bench/receiver.child.js next to this file) on 127.0.0.1 and an ephemeral port. */
export async function startBenchReceiver(): Promise<BenchReceiver> {
  const child = fork(path.join(__dirname, 'receiver.child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await ask<{ port: number }>(child, {}, 'listening');
  return {
    url: `http://127.0.0.1:${port}/hook`,
    reset: async (trackLatency = false) => {
      await ask(child, { cmd: 'reset', trackLatency }, 'reset');
    },
    stats: () => ask<ReceiverStats>(child, { cmd: 'stats' }, 'stats'),
    pid: child.pid,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await exited;
    },
  };
}
