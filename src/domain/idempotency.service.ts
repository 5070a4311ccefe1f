import { DataSource } from 'typeorm';
import { IdempotencyRecordEntity } from '../db/entities';
import { isUniqueViolation } from '../db/errors';

/** How long a stored response is replayed (ms). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** How long a running request holds its key before a crashed holder's key may be taken over (ms). */
export const IDEMPOTENCY_LOCK_MS = 60_000;
/** Idempotency-Key format (Stripe/TopCalls style). */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,255}$/;

export type BeginResult =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'reused' }
  | { kind: 'in_use' };

/**
 * Stored first responses per (account, key). The primary key makes the first request win a race:
 * concurrent duplicates see it RUNNING and are told so, never run twice.
 */
export class IdempotencyService {
  constructor(private readonly ds: DataSource) {}

  private repo() {
    return this.ds.getRepository(IdempotencyRecordEntity);
  }

  async begin(accountId: string, key: string, requestHash: string, now = new Date()): Promise<BeginResult> {
    for (let i = 0; i < 3; i++) {
      try {
        await this.repo().insert({
          accountId,
          key,
          requestHash,
          state: 'RUNNING',
          responseStatus: null,
          responseBody: null,
          lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS),
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
          createdAt: now,
        });
        return { kind: 'proceed' };
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
      const rec = await this.repo().findOneBy({ accountId, key });
      if (!rec) continue; // removed between our insert and read: try again
      if (rec.expiresAt <= now) {
        await this.repo().delete({ accountId, key, expiresAt: rec.expiresAt });
        continue;
      }
      if (rec.requestHash !== requestHash) return { kind: 'reused' };
      if (rec.state === 'DONE') return { kind: 'replay', status: rec.responseStatus ?? 200, body: rec.responseBody ?? '' };
      if (rec.lockedUntil > now) return { kind: 'in_use' };
      // The holder died mid-request: take the key over, fenced on the lock we saw.
      const taken = await this.repo().update(
        { accountId, key, state: 'RUNNING', lockedUntil: rec.lockedUntil },
        { lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS) },
      );
      if (taken.affected === 1) return { kind: 'proceed' };
    }
    return { kind: 'in_use' };
  }

  async complete(accountId: string, key: string, status: number, body: string): Promise<void> {
    await this.repo().update({ accountId, key }, { state: 'DONE', responseStatus: status, responseBody: body });
  }

  /** Forgets a key whose request failed unexpectedly, so a retry runs it again. */
  async abandon(accountId: string, key: string): Promise<void> {
    await this.repo().delete({ accountId, key, state: 'RUNNING' });
  }
}
