import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { hooklineNodeFlags } from './measure';

/** Longest wait for a bench child to answer one command (opening 5,000 sockets is one). @default 120_000 */
const IPC_TIMEOUT_MS = 120_000;

/** Sends `cmd` to a forked child and resolves with its reply of the same name (the child replies `{ error }` on failure). */
export function command<T = Record<string, unknown>>(child: ChildProcess, cmd: Record<string, unknown>, reply = String(cmd.cmd)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`bench child ${child.pid} did not answer ${reply} within ${IPC_TIMEOUT_MS} ms`));
    }, IPC_TIMEOUT_MS);
    function onMessage(m: { cmd: string; error?: string }) {
      if (m.cmd !== reply) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      if (m.error) reject(new Error(`bench child ${child.pid}: ${m.error}`));
      else resolve(m as T);
    }
    child.on('message', onMessage);
    // An empty command only waits for a message the child sends by itself.
    if (Object.keys(cmd).length) child.send(cmd);
  });
}

/** Forks bench/<file>.js (next to this file) and waits for its first message, `ready`. */
export async function forkChild<T = Record<string, unknown>>(file: string, ready: string): Promise<{ child: ChildProcess; hello: T }> {
  const child = fork(path.join(__dirname, file), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const hello = await command<T>(child, {}, ready);
  return { child, hello };
}

/** Ends a forked child by closing its IPC channel (each bench child exits on disconnect). */
export async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.connected) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.disconnect();
  await exited;
}

/** Hookline as its own process, as users run it (`node main.js`), on an ephemeral loopback port. */
export interface HooklineProcess {
  url: string;
  token: string;
  pid: number;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function spawnHooklineProcess(env: Record<string, string>): Promise<HooklineProcess> {
  const main = path.join(__dirname, '..', 'src', 'main.js');
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HOOKLINE_|DATABASE_URL$|PORT$|HOST$|REDIS_URL$)/.test(k)));
  // BENCH_LIVE_CPU_PROF=<dir>: Hookline writes a V8 CPU profile there when it stops (what guided the live path).
  const prof = process.env.BENCH_LIVE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_LIVE_CPU_PROF}`] : [];
  // One key opens every socket and publishes every event: per-key limits off, so the bench measures the live path.
  const limits = { HOOKLINE_KEY_REQUESTS_PER_SECOND: '0', HOOKLINE_KEY_EVENTS_PER_SECOND: '0', HOOKLINE_KEY_MAX_SOCKETS: '0' };
  // BENCH_LIVE_NODE_ARGS="--trace-gc …": more node flags for Hookline; BENCH_LIVE_LOG=<file> keeps its stdout, each line behind Date.now().
  const extra = process.env.BENCH_LIVE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...hooklineNodeFlags(), ...prof, ...extra, main], { env: { ...base, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...limits, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let token = '';
  const url = await new Promise<string>((resolve, reject) => {
    const log = process.env.BENCH_LIVE_LOG ? fs.createWriteStream(process.env.BENCH_LIVE_LOG) : undefined;
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      log?.write(`${Date.now()} ${line}\n`);
      token ||= /\b(hk_live_[A-Za-z0-9_-]+)/.exec(line)?.[1] ?? '';
      const m = /listening: GraphQL (http:\/\/\S+)\/graphql/.exec(line);
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`hookline exited with ${code} before listening`)));
  });
  return {
    url,
    token,
    pid: proc.pid!,
    peakRssMb: () => {
      const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1];
      return kb ? Math.round(Number(kb) / 1024) : NaN;
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
