import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { waitFor, withDeadline } from './child';

/**
 * Private MariaDB and Redis servers for tests that stop and start them: each on a spare loopback
 * port with its own temporary data directory, so the shared services are never touched.
 */
export interface PrivateServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM, SIGKILL after 20 s); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and deletes its data directory. */
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Whatever happens to the test process, no private server outlives it.
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** A free loopback port (the OS's pick, released at once). */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 10_000_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} failed: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout)));
  });
}

function privateServer(name: string, port: number, dir: string, url: string, launch: () => ChildProcess, ready: () => Promise<boolean>): PrivateServer {
  let proc: ChildProcess | undefined;
  let output = '';
  const stop = async () => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    const hard = setTimeout(() => p.kill('SIGKILL'), 20_000);
    await exited.finally(() => clearTimeout(hard));
  };
  return {
    port,
    url,
    stop,
    async start() {
      proc = launch();
      running.add(proc);
      const p = proc;
      p.once('exit', () => running.delete(p));
      p.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
      p.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
      await waitFor(`${name} on port ${port} accepting connections (${output})`, async () => (p.exitCode === null ? ready() : Promise.reject(new Error(`${name} exited:\n${output}`))), {
        timeoutMs: 60_000,
        intervalMs: 200,
      });
    },
    async dispose() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private `mariadbd` (mariadb-install-db into a temp dir), root without password, database `hookline`. */
export async function startPrivateMariadb(): Promise<PrivateServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-mariadb-'));
  const data = path.join(dir, 'data');
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--user=${os.userInfo().username}`]);
  const port = await sparePort();
  const url = `mysql://root@127.0.0.1:${port}/hookline`;
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${path.join(dir, 'mariadb.sock')}`,
    `--pid-file=${path.join(dir, 'mariadb.pid')}`,
    `--log-error=${path.join(dir, 'error.log')}`,
    `--user=${os.userInfo().username}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=64M',
  ];
  const server = privateServer(
    'mariadbd',
    port,
    dir,
    url,
    () => spawn('mariadbd', args, { stdio: ['ignore', 'pipe', 'pipe'] }),
    async () => {
      try {
        const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
        await c.query('CREATE DATABASE IF NOT EXISTS hookline CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
        await c.end();
        return true;
      } catch {
        return false;
      }
    },
  );
  await server.start();
  return server;
}

/** A private `redis-server` with no persistence, in a temp dir. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-redis-'));
  const port = await sparePort();
  const server = privateServer(
    'redis-server',
    port,
    dir,
    `redis://127.0.0.1:${port}`,
    () => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] }),
    () =>
      withDeadline(
        new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => s.end('PING\r\n'));
          s.once('data', (d) => {
            s.destroy();
            resolve(String(d).startsWith('+PONG'));
          });
          s.once('error', () => resolve(false));
        }),
        2_000,
        () => 'redis ping timed out',
      ).catch(() => false),
  );
  await server.start();
  return server;
}
