import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { withDeadline, type ChildExit } from './child';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'main.js');
/** Output kept per worker for failure messages (characters). @default 8_000 */
const TAIL_CHARS = 8_000;
/** Variables a worker must not inherit from the test process: its config comes only from `env`. */
const INHERITED_CONFIG = /^(HOOKLINE_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|REDIS_URL$)/;

/** A Hookline running with HOOKLINE_ROLE=worker (`node dist/main.js`): no HTTP port, so no listening line. */
export interface HooklineWorker {
  proc: ChildProcess;
  /** The default account's API key, which a worker prints after migrating an empty database. */
  apiKey: string;
  exited: Promise<ChildExit>;
  /** The last stdout and stderr output, for failure messages. */
  output(): string;
  /** Sends `signal` (@default SIGKILL) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<ChildExit>;
}

const alive = new Set<HooklineWorker>();

/**
 * Spawns a worker-role Hookline on an empty database (build dist first, see `ensureBuilt` in child.ts).
 * A worker listens on nothing, so readiness is the API key it prints once it has migrated the database
 * and created the default account, just before its delivery loop starts. Rejects if it exits first or
 * after timeoutMs (@default 30_000).
 */
export async function spawnWorker(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<HooklineWorker> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED_CONFIG.test(k)));
  const proc = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { ...base, ...env, HOOKLINE_ROLE: 'worker' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (s: string) => {
    tail = (tail + s).slice(-TAIL_CHARS);
  };
  proc.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<ChildExit>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const printedKey = new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      keep(`${line}\n`);
      const key = /\b(hk_live_[A-Za-z0-9_-]+)/.exec(line)?.[1];
      if (key) resolve(key);
    });
    void exited.then((e) => reject(new Error(`worker exited (code ${e.code}, signal ${e.signal}) before printing its API key:\n${tail}`)));
  });
  const worker: HooklineWorker = {
    proc,
    apiKey: '',
    exited,
    output: () => tail,
    kill: (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return withDeadline(exited, 15_000, () => `worker pid ${proc.pid} did not exit after ${signal}:\n${tail}`);
    },
  };
  alive.add(worker);
  void exited.then(() => alive.delete(worker));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  try {
    worker.apiKey = await withDeadline(printedKey, timeoutMs, () => `worker printed no API key within ${timeoutMs} ms:\n${tail}`);
  } catch (e) {
    await worker.kill();
    throw e;
  }
  return worker;
}

/** SIGKILLs every worker spawned here that is still running and waits for each to exit. */
export async function killAllWorkers(): Promise<void> {
  await Promise.all([...alive].map((w) => w.kill()));
}
