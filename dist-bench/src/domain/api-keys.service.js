"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AccountService = exports.ApiKeyService = void 0;
const node_crypto_1 = __importDefault(require("node:crypto"));
const typeorm_1 = require("typeorm");
const entities_1 = require("../db/entities");
const errors_1 = require("./errors");
const ids_1 = require("./ids");
const TOKEN_PREFIX = 'hk_live_';
/** Characters of the token stored in clear for lookup (`hk_live_` + 8). */
const LOOKUP_LENGTH = TOKEN_PREFIX.length + 8;
/** lastUsedAt is written at most this often per key, so auth does not write on every request (ms). */
const LAST_USED_RESOLUTION_MS = 60_000;
const sha256 = (s) => node_crypto_1.default.createHash('sha256').update(s).digest('hex');
/** API keys: created with a token shown once, stored as prefix + SHA-256, verified on every request. */
class ApiKeyService {
    ds;
    constructor(ds) {
        this.ds = ds;
    }
    async create(accountId, name) {
        const token = TOKEN_PREFIX + node_crypto_1.default.randomBytes(24).toString('base64url');
        const apiKey = this.ds.getRepository(entities_1.ApiKeyEntity).create({
            id: (0, ids_1.newId)(),
            accountId,
            name,
            prefix: token.slice(0, LOOKUP_LENGTH),
            hash: sha256(token),
            lastUsedAt: null,
            revokedAt: null,
            createdAt: new Date(),
        });
        await this.ds.getRepository(entities_1.ApiKeyEntity).insert(apiKey);
        return { apiKey, token };
    }
    list(accountId) {
        return this.ds.getRepository(entities_1.ApiKeyEntity).find({ where: { accountId }, order: { id: 'ASC' } });
    }
    async revoke(accountId, id) {
        const repo = this.ds.getRepository(entities_1.ApiKeyEntity);
        const key = await repo.findOneBy({ id, accountId });
        if (!key)
            throw (0, errors_1.notFound)('API key', id);
        if (!key.revokedAt) {
            key.revokedAt = new Date();
            await repo.update({ id, revokedAt: (0, typeorm_1.IsNull)() }, { revokedAt: key.revokedAt });
        }
        return key;
    }
    /** Of these key ids, the ones that exist and are not revoked (one query). */
    async activeIds(ids) {
        if (!ids.length)
            return new Set();
        const rows = await this.ds.getRepository(entities_1.ApiKeyEntity).find({ select: { id: true }, where: { id: (0, typeorm_1.In)([...ids]), revokedAt: (0, typeorm_1.IsNull)() } });
        return new Set(rows.map((r) => r.id));
    }
    /** Resolves a bearer token to its account, or throws UNAUTHENTICATED "Invalid API key". */
    async authenticate(token) {
        const invalid = new errors_1.DomainError(errors_1.ErrorCode.UNAUTHENTICATED, 'Invalid API key');
        if (!token.startsWith(TOKEN_PREFIX) || token.length < LOOKUP_LENGTH + 8)
            throw invalid;
        const apiKey = await this.ds.getRepository(entities_1.ApiKeyEntity).findOneBy({ prefix: token.slice(0, LOOKUP_LENGTH) });
        if (!apiKey || apiKey.revokedAt)
            throw invalid;
        const given = Buffer.from(sha256(token), 'hex');
        if (!node_crypto_1.default.timingSafeEqual(given, Buffer.from(apiKey.hash, 'hex')))
            throw invalid;
        const account = await this.ds.getRepository(entities_1.AccountEntity).findOneBy({ id: apiKey.accountId });
        if (!account)
            throw invalid;
        const now = Date.now();
        if (!apiKey.lastUsedAt || now - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
            apiKey.lastUsedAt = new Date(now);
            await this.ds.getRepository(entities_1.ApiKeyEntity).update({ id: apiKey.id }, { lastUsedAt: apiKey.lastUsedAt });
        }
        return { account, apiKey };
    }
}
exports.ApiKeyService = ApiKeyService;
/** Accounts: created by the CLI or on first start. */
class AccountService {
    ds;
    constructor(ds) {
        this.ds = ds;
    }
    async create(name) {
        const account = { id: (0, ids_1.newId)(), name, signingSecretSealed: null, createdAt: new Date() };
        await this.ds.getRepository(entities_1.AccountEntity).insert(account);
        return account;
    }
    count() {
        return this.ds.getRepository(entities_1.AccountEntity).count();
    }
    findById(id) {
        return this.ds.getRepository(entities_1.AccountEntity).findOneBy({ id });
    }
    findByName(name) {
        return this.ds.getRepository(entities_1.AccountEntity).findOneBy({ name });
    }
}
exports.AccountService = AccountService;
