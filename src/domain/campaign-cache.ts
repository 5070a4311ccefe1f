import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { CampaignEntity } from '../db/entities';
import { execSql } from '../db/sql';

/** Accounts whose campaign rows are kept at most; the oldest is dropped beyond. @default 10_000 */
const MAX_ACCOUNTS = 10_000;
/** Campaign ids kept per account at most (absent ones included); beyond, the account starts afresh. @default 10_000 */
const MAX_PER_ACCOUNT = 10_000;

/**
 * The campaign rows fan-out read (a call's own campaign, those is_conversion filters name), kept per
 * account with the account's `campaigns_version` they were read at. A publish reads that version in
 * its first round trip beside the webhook-set stamp, and uses what is kept only while it is unchanged;
 * the campaign service bumps it in the same transaction as every change, so a publish that starts
 * after a change returned (here or in another process) reads the changed rows in its own snapshot.
 * Ids with no campaign are kept as absent. Keyed by account: one account's rows never serve another.
 */
export class CampaignCache {
  private readonly byAccount = new Map<string, { version: number; rows: Map<string, CampaignEntity | null> }>();

  /** The campaigns of these ids as of `version`, read in `m` (the publish transaction) where not kept. */
  async get(m: EntityManager, accountId: string, version: number, ids: readonly string[]): Promise<CampaignEntity[]> {
    let kept = this.byAccount.get(accountId);
    if (!kept || kept.version !== version || kept.rows.size + ids.length > MAX_PER_ACCOUNT) {
      this.byAccount.delete(accountId);
      if (this.byAccount.size >= MAX_ACCOUNTS) this.byAccount.delete(this.byAccount.keys().next().value as string);
      kept = { version, rows: new Map() };
      this.byAccount.set(accountId, kept);
    }
    const missing = ids.filter((id) => !kept.rows.has(id));
    if (missing.length) {
      const read = new Map((await m.getRepository(CampaignEntity).findBy({ accountId, id: In(missing) })).map((c) => [c.id, c]));
      // Only if nothing newer was kept meanwhile (a concurrent group on a later snapshot).
      if (this.byAccount.get(accountId) === kept) for (const id of missing) kept.rows.set(id, read.get(id) ?? null);
      return ids.map((id) => read.get(id) ?? kept.rows.get(id)).filter((c): c is CampaignEntity => !!c);
    }
    return ids.map((id) => kept.rows.get(id)).filter((c): c is CampaignEntity => !!c);
  }
}

/**
 * Bumps the account's campaign-set version; call inside the transaction that changes its campaigns,
 * after the change, so that no reader can see the new version with the old rows.
 */
export async function bumpCampaignSetVersion(m: EntityManager, accountId: string): Promise<void> {
  await execSql(m, 'UPDATE accounts SET campaigns_version = campaigns_version + 1 WHERE id = :accountId', { accountId });
}
