import path from 'node:path';
import { Worker } from 'node:worker_threads';
import client from 'prom-client';
import type { Config } from '../config';
import type { EventEntity } from '../db/entities';
import type { DeliverySnapshot, DomainEvents } from '../domain/domain-events';
import type { Logger } from '../logger';
import { newId } from '../domain/ids';
import type { LocalLease, LocalWorker } from '../outbox/outbox';
import type { ClaimedDelivery } from '../outbox/types';
import type { HandoffBudget } from './holdings';

/** What the API thread tells the delivery thread. */
export type ToDeliveryThread =
  | { t: 'adopt'; deliveries: ClaimedDelivery[]; events: EventEntity[] }
  | { t: 'queued'; at: Date; events?: EventEntity[] }
  | { t: 'webhookChanged'; accountId: string }
  | { t: 'metrics'; id: number }
  | { t: 'stop' };

/** What the delivery thread tells the API thread. */
export type FromDeliveryThread =
  | { t: 'ready' }
  | { t: 'room'; budget: HandoffBudget }
  | { t: 'deliveriesUpdated'; deliveries: DeliverySnapshot[] }
  | { t: 'metrics'; id: number; metrics: client.MetricObjectWithValues<client.MetricValue<string>>[] };

/** A crashed delivery thread is started again after this long (ms). @default 1000 */
const RESTART_DELAY_MS = 1_000;
/** How long past the shutdown grace period a stopping thread may take before it is terminated (ms). @default 10_000 */
const STOP_MARGIN_MS = 10_000;
/** How long a /metrics scrape waits for the delivery thread's share (ms). @default 2000 */
const METRICS_TIMEOUT_MS = 2_000;

/** The compiled entry of the delivery thread (under ts-jest, the build's copy: a worker thread runs JavaScript). */
function entryFile(): string {
  if (__filename.endsWith('.js')) return path.join(__dirname, 'engine-thread-main.js');
  return path.resolve(__dirname, '..', '..', 'dist', 'delivery', 'engine-thread-main.js');
}

/**
 * The delivery engine of an `all`-role process on MySQL/MariaDB, run on a worker thread with its own
 * event loop and its own connection pool, so delivering (claims, sends, result writes) uses the
 * machine's second core instead of the API's event loop. To the API thread's outbox it is the local
 * worker: fresh rows are inserted already leased to it, within the room it last reported (its
 * holdings, per webhook, after every written batch), and reach it with their events once committed,
 * so the first attempt needs no claim and no read; rows beyond that room it is told of, and claims.
 * Webhook changes go to it; delivery state changes come back to the API thread's bus (live
 * subscriptions); /metrics adds its counters. Should the thread die, it is started again, and the
 * leases it held expire and are reclaimed (at least once, as after a crash).
 */
export class DeliveryThread implements LocalWorker {
  private worker?: Worker;
  private ready?: Promise<void>;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private nextId = 1;
  /** Room for handed-over rows as the thread last reported it, less what was handed since. */
  private room?: { total: number; webhooks: Map<string, number>; fresh: number };
  private readonly scrapes = new Map<number, (m: client.MetricObjectWithValues<client.MetricValue<string>>[]) => void>();

  constructor(
    private readonly opts: {
      config: Config;
      log: Logger;
      /** Where delivery state changes made by the thread are announced. */
      announce: Pick<DomainEvents, 'deliveriesUpdated'>;
    },
  ) {}

  /** Starts the thread; resolves once its engine runs. */
  start(): Promise<void> {
    this.stopping = false;
    const worker = new Worker(entryFile(), { workerData: { config: this.opts.config } });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (m: FromDeliveryThread) => {
        if (m.t === 'ready') {
          started = true;
          resolve();
        } else if (m.t === 'room') this.room = { total: m.budget.total, webhooks: new Map(m.budget.webhooks), fresh: m.budget.fresh };
        else if (m.t === 'deliveriesUpdated') this.opts.announce.deliveriesUpdated(m.deliveries);
        else if (m.t === 'metrics') {
          this.scrapes.get(m.id)?.(m.metrics);
          this.scrapes.delete(m.id);
        }
      });
      worker.on('error', (err) => {
        this.opts.log.error({ err }, 'the delivery thread failed');
        reject(err);
      });
      worker.on('exit', (code) => {
        reject(new Error(`the delivery thread exited (code ${code}) before it was ready`));
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.room = undefined;
        // One that never started fails start() instead.
        if (this.stopping || !started) return;
        this.opts.log.error({ code }, `the delivery thread stopped; starting it again in ${RESTART_DELAY_MS} ms`);
        this.restartTimer = setTimeout(() => {
          if (!this.stopping) this.start().catch((err) => this.opts.log.error({ err }, 'the delivery thread did not start'));
        }, RESTART_DELAY_MS);
        this.restartTimer.unref();
      });
    });
    return this.ready;
  }

  private post(m: ToDeliveryThread): void {
    this.worker?.postMessage(m);
  }

  /** LocalWorker: takes the fresh rows that fit the room the thread last reported, under one new lease. */
  reserve(rows: readonly { id: string; webhookId: string | null }[], now: Date): LocalLease | null {
    const room = this.room;
    if (!room || this.stopping) return null;
    const ids = new Set<string>();
    const webhookIds: (string | null)[] = [];
    for (const r of rows) {
      if (room.total <= 0) break;
      if (r.webhookId) {
        const left = room.webhooks.get(r.webhookId) ?? room.fresh;
        if (left <= 0) continue;
        room.webhooks.set(r.webhookId, left - 1);
      }
      room.total--;
      ids.add(r.id);
      webhookIds.push(r.webhookId);
    }
    if (!ids.size) return null;
    return { token: newId(), lockedUntil: new Date(now.getTime() + this.opts.config.HOOKLINE_LEASE_MS), ids, webhookIds };
  }

  /** LocalWorker: the publish committed; its rows go to the thread with their events. */
  accept(_lease: LocalLease, deliveries: ClaimedDelivery[], events: ReadonlyMap<string, EventEntity>): void {
    const theirs = new Map<string, EventEntity>();
    for (const d of deliveries) theirs.set(d.eventId, events.get(d.eventId)!);
    this.post({ t: 'adopt', deliveries, events: [...theirs.values()] });
  }

  /** LocalWorker: the publish rolled back: its room is free again (until the thread's next report). */
  cancel(lease: LocalLease): void {
    const room = this.room;
    if (!room) return;
    room.total += lease.webhookIds.length;
    for (const w of lease.webhookIds) if (w) room.webhooks.set(w, (room.webhooks.get(w) ?? room.fresh) + 1);
  }

  /** LocalWorker: rows became due at `at`; their events travel with the wake-up. */
  queued(at: Date, events?: ReadonlyMap<string, EventEntity>): void {
    this.post({ t: 'queued', at, events: events ? [...events.values()] : undefined });
  }

  /** A webhook of this account changed: the thread drops what it cached. */
  webhookChanged(accountId: string): void {
    this.post({ t: 'webhookChanged', accountId });
  }

  /** The thread's metrics (attempts, latencies, retention), for /metrics; none when it does not answer in time. */
  metrics(): Promise<client.MetricObjectWithValues<client.MetricValue<string>>[]> {
    const worker = this.worker;
    if (!worker) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.scrapes.delete(id);
        resolve([]);
      }, METRICS_TIMEOUT_MS);
      this.scrapes.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.post({ t: 'metrics', id });
    });
  }

  /** Graceful stop: the thread's worker finishes in-flight attempts within the grace period, then the thread ends. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    await this.ready?.catch(() => undefined);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ t: 'stop' } satisfies ToDeliveryThread);
    // Its own stop takes the grace period and a last write; a thread that hangs beyond that is ended.
    const hung = setTimeout(() => void worker.terminate(), this.opts.config.HOOKLINE_SHUTDOWN_GRACE_MS + STOP_MARGIN_MS);
    await exited;
    clearTimeout(hung);
  }
}
