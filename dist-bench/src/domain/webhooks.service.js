"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WebhookService = exports.DEFAULT_MAX_RETRIES = exports.DEFAULT_TIMEOUT_SECONDS = exports.ROTATION_OVERLAP_MS = void 0;
const typeorm_1 = require("typeorm");
const webhook_entity_1 = require("../db/entities/webhook.entity");
const ssrf_1 = require("../delivery/ssrf");
const errors_1 = require("./errors");
const ids_1 = require("./ids");
const pagination_1 = require("./pagination");
const signing_1 = require("./signing");
/** How long the previous secret keeps signing after a rotation (ms). */
exports.ROTATION_OVERLAP_MS = 24 * 3600_000;
exports.DEFAULT_TIMEOUT_SECONDS = 30;
exports.DEFAULT_MAX_RETRIES = 4;
/**
 * Webhook subscriptions: shape rules are checked by the input classes before this runs; this adds the
 * checks that need I/O (the target must be public) and owns every write.
 */
class WebhookService {
    ds;
    box;
    opts;
    events;
    constructor(ds, box, opts, events) {
        this.ds = ds;
        this.box = box;
        this.opts = opts;
        this.events = events;
    }
    repo() {
        return this.ds.getRepository(webhook_entity_1.WebhookEntity);
    }
    /** Refuses a target that is not public (unless allowed), as a field error on `url`. */
    async checkTarget(url, field = 'url') {
        try {
            await (0, ssrf_1.assertPublicUrl)(url, { allowPrivate: this.opts.allowPrivateTargets, lookupAll: this.opts.lookupAll });
        }
        catch (e) {
            const msg = e instanceof ssrf_1.BlockedTargetError ? e.message : e.message;
            throw (0, errors_1.badInput)({ [field]: [msg] });
        }
    }
    async create(accountId, apiKeyId, input) {
        await this.checkTarget(input.url);
        const secret = input.secret ?? (0, signing_1.generateSecret)();
        const now = new Date();
        const enabled = input.enabled ?? true;
        const webhook = this.repo().create({
            id: (0, ids_1.newId)(),
            accountId,
            name: input.name,
            url: input.url,
            events: [...new Set(input.events)],
            filters: input.filters ?? null,
            secretSealed: this.box.seal(secret),
            previousSecretSealed: null,
            previousSecretExpiresAt: null,
            timeoutSeconds: input.timeoutSeconds ?? exports.DEFAULT_TIMEOUT_SECONDS,
            maxRetries: input.maxRetries ?? exports.DEFAULT_MAX_RETRIES,
            enabled,
            status: enabled ? 'ACTIVE' : 'PAUSED',
            disabledReason: null,
            headers: input.headers ?? null,
            createdByApiKeyId: apiKeyId,
            failingSince: null,
            consecutiveFailures: 0,
            createdAt: now,
            updatedAt: now,
            deletedAt: null,
        });
        await this.repo().insert(webhook);
        this.events?.webhookChanged(accountId);
        return { webhook, secret };
    }
    /** A live (not deleted) webhook of the account, or NOT_FOUND. */
    async get(accountId, id, opts = {}) {
        const webhook = await this.repo().findOneBy({
            id,
            accountId,
            ...(opts.includeDeleted ? {} : { deletedAt: (0, typeorm_1.IsNull)() }),
        });
        if (!webhook)
            throw (0, errors_1.notFound)('Webhook', id);
        return webhook;
    }
    async update(accountId, id, patch) {
        const webhook = await this.get(accountId, id);
        if (patch.url != null && patch.url !== webhook.url)
            await this.checkTarget(patch.url);
        const set = (k, v) => {
            if (v !== undefined && v !== null)
                webhook[k] = v;
        };
        set('name', patch.name);
        set('url', patch.url);
        if (patch.events)
            webhook.events = [...new Set(patch.events)];
        if (patch.filters !== undefined)
            webhook.filters = patch.filters;
        if (patch.headers !== undefined)
            webhook.headers = patch.headers;
        set('timeoutSeconds', patch.timeoutSeconds);
        set('maxRetries', patch.maxRetries);
        if (patch.secret)
            webhook.secretSealed = this.box.seal(patch.secret);
        if (patch.enabled != null && patch.enabled !== webhook.enabled) {
            webhook.enabled = patch.enabled;
            webhook.status = patch.enabled ? 'ACTIVE' : 'PAUSED';
            webhook.disabledReason = null;
            webhook.failingSince = null;
            webhook.consecutiveFailures = 0;
        }
        else if (patch.enabled === true && webhook.status === 'AUTO_DISABLED') {
            webhook.status = 'ACTIVE';
            webhook.disabledReason = null;
            webhook.failingSince = null;
            webhook.consecutiveFailures = 0;
        }
        webhook.updatedAt = new Date();
        await this.repo().save(webhook);
        this.events?.webhookChanged(accountId);
        return webhook;
    }
    async delete(accountId, id) {
        const webhook = await this.get(accountId, id);
        webhook.deletedAt = new Date();
        webhook.updatedAt = webhook.deletedAt;
        await this.repo().update({ id, accountId }, { deletedAt: webhook.deletedAt, updatedAt: webhook.updatedAt });
        this.events?.webhookChanged(accountId);
        return webhook;
    }
    list(accountId, args) {
        const qb = this.repo().createQueryBuilder('w').where('w.account_id = :accountId', { accountId });
        const f = args.filter ?? {};
        if (!f.includeDeleted)
            qb.andWhere('w.deleted_at IS NULL');
        if (f.enabled != null)
            qb.andWhere('w.enabled = :enabled', { enabled: f.enabled });
        if (f.status)
            qb.andWhere('w.status = :status', { status: f.status });
        if (f.event)
            qb.andWhere(`w.events LIKE :ev ESCAPE '!'`, { ev: `%${(0, pagination_1.likeLiteral)(JSON.stringify(f.event))}%` });
        return (0, pagination_1.pageById)(qb, args);
    }
    /** The secrets that currently sign: the current one and, within 24 h of a rotation, the previous one. */
    secrets(webhook, now = new Date()) {
        const prevValid = webhook.previousSecretSealed && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now;
        return {
            secret: this.box.open(webhook.secretSealed),
            previousSecret: prevValid ? this.box.open(webhook.previousSecretSealed) : null,
            previousSecretExpiresAt: prevValid ? webhook.previousSecretExpiresAt : null,
        };
    }
    /** Starts a new secret; the old one keeps signing for 24 h so receivers can switch without loss. */
    async rotateSecret(accountId, id, secret) {
        if (secret != null) {
            const errors = (0, signing_1.validateSecret)(secret);
            if (errors.length)
                throw (0, errors_1.badInput)({ secret: errors });
        }
        const webhook = await this.get(accountId, id);
        const next = secret ?? (0, signing_1.generateSecret)();
        webhook.previousSecretSealed = webhook.secretSealed;
        webhook.previousSecretExpiresAt = new Date(Date.now() + exports.ROTATION_OVERLAP_MS);
        webhook.secretSealed = this.box.seal(next);
        webhook.updatedAt = new Date();
        await this.repo().save(webhook);
        this.events?.webhookChanged(accountId);
        return { webhook, secret: next };
    }
}
exports.WebhookService = WebhookService;
