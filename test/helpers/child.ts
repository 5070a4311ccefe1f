import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pollUntil } from './poll';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'main.js');
/** Output kept per child for failure messages (characters). */
const TAIL_CHARS = 8_000;
/**
 * Variables a child must not inherit from the test process: its config comes only from `env`. NODE_ENV
 * too (jest sets it to `test`), so that children run as `npm start` does.
 */
const INHERITED_CONFIG = /^(HOOKLINE_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|REDIS_URL$|NODE_ENV$)/;

/** How a child process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when it exited. */
  at: number;
}

/** A Hookline running as its own process (`node dist/main.js`). */
export interface HooklineChild {
  proc: ChildProcess;
  pid: number;
  /** http://127.0.0.1:port, from its "listening" line. */
  url: string;
  /** The default account's API key, printed only on the first start against an empty database. */
  printedApiKey?: string;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<ChildExit>;
  /** The last stdout and stderr output, for failure messages. */
  output(): string;
  /** Sends `signal` and resolves when the process has exited; rejects after timeoutMs (@default 15_000). */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ChildExit>;
}

const alive = new Set<HooklineChild>();

/** Rejects with `message` after `ms` unless `p` settles first. */
export function withDeadline<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Re-evaluates `check` every intervalMs (@default 100) until it returns a value other than
 * undefined, null or false; rejects after timeoutMs with `what` and the last value seen.
 */
export function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, opts: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  return pollUntil(check, { what, timeoutMs: opts.timeoutMs, intervalMs: opts.intervalMs ?? 100, until: (v) => v !== undefined && v !== null && v !== false }) as Promise<T>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when dist/main.js is missing or older than src/, so a single test file run with
 * `npx jest` spawns the code under test rather than a stale build. A no-op after `npm test`'s build.
 */
export async function ensureBuilt(): Promise<void> {
  const built = fs.existsSync(MAIN) ? fs.statSync(MAIN).mtimeMs : 0;
  if (built >= newestMtime(path.join(ROOT, 'src'))) return;
  const tsc = require.resolve('typescript/bin/tsc');
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT }, (err, stdout) => {
      // tsc still emits on type errors (those belong to the typecheck); only a missing entry point is fatal.
      if (err && !fs.existsSync(MAIN)) reject(new Error(`build failed:\n${stdout}`));
      else resolve();
    });
  });
  fs.utimesSync(MAIN, new Date(), new Date());
}

/**
 * Spawns `node dist/main.js` with exactly `env` as its configuration (plus PATH and the like) and
 * resolves once it prints its "listening" line; rejects if it exits first or after timeoutMs
 * (@default 30_000). Every child is tracked until it exits; `killAllChildren` ends the leftovers.
 */
export async function spawnHookline(env: Record<string, string>, opts: { timeoutMs?: number; /** working directory (the default SQLite file lives under it) @default the repository */ cwd?: string } = {}): Promise<HooklineChild> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED_CONFIG.test(k)));
  const proc = spawn(process.execPath, [MAIN], { cwd: opts.cwd ?? ROOT, env: { ...base, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (s: string) => {
    tail = (tail + s).slice(-TAIL_CHARS);
  };
  proc.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<ChildExit>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });

  let printedApiKey: string | undefined;
  const listening = new Promise<string>((resolve, reject) => {
    // stdout is read to the end so that a chatty child never blocks on a full pipe.
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      keep(`${line}\n`);
      printedApiKey ??= /\b(hk_live_[A-Za-z0-9_-]+)/.exec(line)?.[1];
      const m = /listening: GraphQL (http:\/\/\S+)\/graphql/.exec(line);
      if (m) resolve(m[1]);
    });
    void exited.then((e) => reject(new Error(`hookline exited (code ${e.code}, signal ${e.signal}) before listening:\n${tail}`)));
  });

  const child: HooklineChild = {
    proc,
    pid: proc.pid!,
    url: '',
    exited,
    output: () => tail,
    kill: (signal = 'SIGKILL', timeoutMs = 15_000) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return withDeadline(exited, timeoutMs, () => `hookline pid ${proc.pid} did not exit within ${timeoutMs} ms of ${signal}:\n${tail}`);
    },
  };
  alive.add(child);
  void exited.then(() => alive.delete(child));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  try {
    child.url = await withDeadline(listening, timeoutMs, () => `hookline did not print its listening line within ${timeoutMs} ms:\n${tail}`);
  } catch (e) {
    await child.kill('SIGKILL');
    throw e;
  }
  child.printedApiKey = printedApiKey;
  return child;
}

/** SIGKILLs every child this file spawned that is still running and waits for each to exit. */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...alive].map((c) => c.kill('SIGKILL')));
}
