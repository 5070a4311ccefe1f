import { DataSource } from 'typeorm';
import { IdempotencyRecordEntity } from '../db/entities';
import { isUniqueViolation } from '../db/errors';
import type { SecretBox } from './secret-box';

/** How long a stored response is replayed (ms). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** How long a running request holds its key before a crashed holder's key may be taken over (ms); renewed while it runs. */
export const IDEMPOTENCY_LOCK_MS = 60_000;
/** Response fields whose values are secrets: never stored in clear (see `IdempotencyService.complete`). */
export const SECRET_RESPONSE_FIELDS: ReadonlySet<string> = new Set(['token', 'secret', 'previousSecret']);
/** What a secret value reads as in a replay stored without HOOKLINE_MASTER_KEY. */
export const REDACTED = '[redacted: not kept without HOOKLINE_MASTER_KEY]';

/** The response JSON with every secret field's value replaced by REDACTED (the bytes unchanged when it has none). */
export function redactSecrets(body: string): string {
  try {
    let redacted = false;
    const json = JSON.stringify(JSON.parse(body), (k, v) => {
      if (!SECRET_RESPONSE_FIELDS.has(k) || typeof v !== 'string') return v;
      redacted = true;
      return REDACTED;
    });
    return redacted ? `${json}${body.endsWith('\n') ? '\n' : ''}` : body;
  } catch {
    // Not JSON: nothing to pick out, so keep nothing.
    return JSON.stringify({ errors: [{ message: REDACTED }] });
  }
}
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
  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
  ) {}

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
      if (rec.state === 'DONE') return { kind: 'replay', status: rec.responseStatus ?? 200, body: this.opened(rec.responseBody ?? '') };
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

  /** A stored response as sent; rows stored before responses were sealed hold bare JSON. */
  private opened(stored: string): string {
    return stored.startsWith('plain:') || stored.startsWith('enc:') ? this.box.open(stored) : stored;
  }

  /** Keeps a running request's key from being taken over as long as it really runs. */
  async renew(accountId: string, key: string, now = new Date()): Promise<void> {
    await this.repo().update({ accountId, key, state: 'RUNNING' }, { lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS) });
  }

  /**
   * Stores the response to replay. Tokens and secrets never rest in clear: with HOOKLINE_MASTER_KEY
   * the whole response is sealed (AES-256-GCM, as webhook secrets are) and replays in full; without
   * one, their values are replaced by REDACTED in the stored copy.
   */
  async complete(accountId: string, key: string, status: number, body: string): Promise<void> {
    const stored = this.box.seal(this.box.sealsInClear ? redactSecrets(body) : body);
    await this.repo().update({ accountId, key }, { state: 'DONE', responseStatus: status, responseBody: stored });
  }

  /** Forgets a key whose request failed unexpectedly, so a retry runs it again. */
  async abandon(accountId: string, key: string): Promise<void> {
    await this.repo().delete({ accountId, key, state: 'RUNNING' });
  }
}
