"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IdempotencyService = exports.IDEMPOTENCY_KEY_PATTERN = exports.IDEMPOTENCY_LOCK_MS = exports.IDEMPOTENCY_TTL_MS = void 0;
const typeorm_1 = require("typeorm");
const entities_1 = require("../db/entities");
const errors_1 = require("../db/errors");
/** How long a stored response is replayed (ms). */
exports.IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** How long a running request holds its key before a crashed holder's key may be taken over (ms). */
exports.IDEMPOTENCY_LOCK_MS = 60_000;
/** Idempotency-Key format (Stripe/TopCalls style). */
exports.IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,255}$/;
/**
 * Stored first responses per (account, key). The primary key makes the first request win a race:
 * concurrent duplicates see it RUNNING and are told so, never run twice.
 */
class IdempotencyService {
    ds;
    constructor(ds) {
        this.ds = ds;
    }
    repo() {
        return this.ds.getRepository(entities_1.IdempotencyRecordEntity);
    }
    async begin(accountId, key, requestHash, now = new Date()) {
        for (let i = 0; i < 3; i++) {
            try {
                await this.repo().insert({
                    accountId,
                    key,
                    requestHash,
                    state: 'RUNNING',
                    responseStatus: null,
                    responseBody: null,
                    lockedUntil: new Date(now.getTime() + exports.IDEMPOTENCY_LOCK_MS),
                    expiresAt: new Date(now.getTime() + exports.IDEMPOTENCY_TTL_MS),
                    createdAt: now,
                });
                return { kind: 'proceed' };
            }
            catch (e) {
                if (!(0, errors_1.isUniqueViolation)(e))
                    throw e;
            }
            const rec = await this.repo().findOneBy({ accountId, key });
            if (!rec)
                continue; // removed between our insert and read: try again
            if (rec.expiresAt <= now) {
                await this.repo().delete({ accountId, key, expiresAt: rec.expiresAt });
                continue;
            }
            if (rec.requestHash !== requestHash)
                return { kind: 'reused' };
            if (rec.state === 'DONE')
                return { kind: 'replay', status: rec.responseStatus ?? 200, body: rec.responseBody ?? '' };
            if (rec.lockedUntil > now)
                return { kind: 'in_use' };
            // The holder died mid-request: take the key over, fenced on the lock we saw.
            const taken = await this.repo().update({ accountId, key, state: 'RUNNING', lockedUntil: rec.lockedUntil }, { lockedUntil: new Date(now.getTime() + exports.IDEMPOTENCY_LOCK_MS) });
            if (taken.affected === 1)
                return { kind: 'proceed' };
        }
        return { kind: 'in_use' };
    }
    async complete(accountId, key, status, body) {
        await this.repo().update({ accountId, key }, { state: 'DONE', responseStatus: status, responseBody: body });
    }
    /** Forgets a key whose request failed unexpectedly, so a retry runs it again. */
    async abandon(accountId, key) {
        await this.repo().delete({ accountId, key, state: 'RUNNING' });
    }
    /** Deletes expired records; returns how many. */
    async sweep(now = new Date()) {
        const r = await this.repo().delete({ expiresAt: (0, typeorm_1.LessThan)(now) });
        return r.affected ?? 0;
    }
}
exports.IdempotencyService = IdempotencyService;
