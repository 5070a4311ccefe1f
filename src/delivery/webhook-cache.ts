import { DataSource, In } from 'typeorm';
import { WebhookEntity } from '../db/entities';

/** How long a worker trusts a webhook row it read (ms): changes made through another process apply within this. @default 1000 */
export const WEBHOOK_CACHE_TTL_MS = 1_000;

/**
 * Webhook rows for the worker, read at most once per TTL instead of once per claimed batch. Changes
 * made in this process clear it at once (the engine listens for webhookChanged).
 */
export class WebhookCache {
  private readonly entries = new Map<string, { webhook: WebhookEntity; at: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly ttlMs = WEBHOOK_CACHE_TTL_MS,
  ) {}

  /** The webhooks with these ids (deleted ones included), from cache where fresh, the rest in one query. */
  async getMany(ids: readonly string[], now = Date.now()): Promise<Map<string, WebhookEntity>> {
    const out = new Map<string, WebhookEntity>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.entries.get(id);
      if (hit && now - hit.at < this.ttlMs) out.set(id, hit.webhook);
      else missing.push(id);
    }
    if (missing.length) {
      for (const w of await this.ds.getRepository(WebhookEntity).findBy({ id: In(missing) })) {
        this.entries.set(w.id, { webhook: w, at: now });
        out.set(w.id, w);
      }
    }
    return out;
  }

  clear(): void {
    this.entries.clear();
  }
}
