import { EntityManager, IsNull } from 'typeorm';
import { WebhookEntity } from '../db/entities/webhook.entity';
import { execSql, placeholders, type Statement } from '../db/sql';

/** Accounts whose webhook sets are kept at most; the oldest is dropped beyond. @default 10_000 */
const MAX_ACCOUNTS = 10_000;

/** What tells a cached set apart from the database's: the version the webhook service bumps, and the active count. */
interface Stamp {
  version: number;
  /** Live webhooks now: drops when the engine disables one (410 Gone, auto-disable), which bumps no version. */
  active: number;
}

/** A row of stampQuery(). */
export interface StampRow {
  id: string;
  version: number | string;
  active: number | string;
  campaigns: number | string;
}

/**
 * The live webhooks of each account, for fan-out, kept in the process and checked inside every
 * publish transaction by one small read of (webhooks_version, active count) for all the accounts of
 * a group. The webhook service bumps the version in the same transaction as each change, so a
 * publish that starts after a change returned (through this process or another sharing the
 * database) sees a new stamp and reloads that account's set in the same snapshot. Keyed by account,
 * loaded by account: one account's set is never served to another.
 */
export class WebhookSets {
  private readonly byAccount = new Map<string, Stamp & { webhooks: WebhookEntity[] }>();

  /**
   * The read of the accounts' stamps, for a transaction that sends it with its START
   * (twoTripTransaction); each row also carries the account's `campaigns` version (CampaignCache).
   */
  stampQuery(accountIds: readonly string[]): Statement {
    return {
      sql: `SELECT a.id AS id, a.webhooks_version AS version, a.campaigns_version AS campaigns,
         (SELECT COUNT(*) FROM webhooks w WHERE w.account_id = a.id AND w.deleted_at IS NULL AND w.enabled = 1 AND w.status = 'ACTIVE') AS active
       FROM accounts a WHERE a.id IN (${placeholders(accountIds.length)})`,
      values: [...accountIds],
    };
  }

  /** The live webhooks of each account, given its stamps as read in `m`: cached ones where unchanged, the rest read in `m`. */
  async fromStamps(m: EntityManager, accountIds: readonly string[], rows: readonly StampRow[]): Promise<Map<string, WebhookEntity[]>> {
    const stamps = new Map<string, Stamp>(rows.map((r) => [r.id, { version: Number(r.version), active: Number(r.active) }]));
    const out = new Map<string, WebhookEntity[]>();
    for (const accountId of accountIds) {
      const stamp = stamps.get(accountId) ?? { version: 0, active: 0 };
      const hit = this.byAccount.get(accountId);
      if (hit && hit.version === stamp.version && hit.active === stamp.active) {
        out.set(accountId, hit.webhooks);
        continue;
      }
      const webhooks = await m.getRepository(WebhookEntity).findBy({ accountId, enabled: true, status: 'ACTIVE', deletedAt: IsNull() });
      this.byAccount.delete(accountId);
      if (this.byAccount.size >= MAX_ACCOUNTS) this.byAccount.delete(this.byAccount.keys().next().value as string);
      // The count is the one of this snapshot; the loaded rows are the same snapshot's, so they agree.
      this.byAccount.set(accountId, { ...stamp, webhooks });
      out.set(accountId, webhooks);
    }
    return out;
  }
}

/**
 * Bumps the account's webhook-set version; call inside the transaction that changes its webhooks,
 * after the change, so that no reader can see the new version with the old rows.
 */
export async function bumpWebhookSetVersion(m: EntityManager, accountId: string): Promise<void> {
  await execSql(m, 'UPDATE accounts SET webhooks_version = webhooks_version + 1 WHERE id = :accountId', { accountId });
}
