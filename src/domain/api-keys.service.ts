import crypto from 'node:crypto';
import { DataSource, In, IsNull } from 'typeorm';
import { AccountEntity, ApiKeyEntity } from '../db/entities';
import { ErrorCode, DomainError, notFound } from './errors';
import { newId } from './ids';
import { KeyHolder, LAST_USED_RESOLUTION_MS, VerifiedKeys } from './verified-keys';

const TOKEN_PREFIX = 'hk_live_';
/** Characters of the token stored in clear for lookup (`hk_live_` + 8). */
const LOOKUP_LENGTH = TOKEN_PREFIX.length + 8;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** The caller behind a request. */
export interface Principal {
  account: AccountEntity;
  apiKey: ApiKeyEntity;
}

const invalidKey = () => new DomainError(ErrorCode.UNAUTHENTICATED, 'Invalid API key');

/**
 * API keys: created with a token shown once, stored as prefix + SHA-256, verified on every request
 * against the keys this process verified lately (see VerifiedKeys: revocation through any process
 * bites within REVOCATION_WINDOW_MS).
 */
export class ApiKeyService {
  private readonly verified: VerifiedKeys<Principal>;

  constructor(private readonly ds: DataSource) {
    this.verified = new VerifiedKeys<Principal>({
      activeIds: (ids) => this.activeIds(ids),
      touch: async (ids, at) => {
        await this.ds.getRepository(ApiKeyEntity).update({ id: In([...ids]) }, { lastUsedAt: at });
      },
    });
  }

  async create(accountId: string, name: string): Promise<{ apiKey: ApiKeyEntity; token: string }> {
    const token = TOKEN_PREFIX + crypto.randomBytes(24).toString('base64url');
    const apiKey = this.ds.getRepository(ApiKeyEntity).create({
      id: newId(),
      accountId,
      name,
      prefix: token.slice(0, LOOKUP_LENGTH),
      hash: sha256(token),
      lastUsedAt: null,
      revokedAt: null,
      createdAt: new Date(),
    });
    await this.ds.getRepository(ApiKeyEntity).insert(apiKey);
    return { apiKey, token };
  }

  list(accountId: string): Promise<ApiKeyEntity[]> {
    return this.ds.getRepository(ApiKeyEntity).find({ where: { accountId }, order: { id: 'ASC' } });
  }

  async revoke(accountId: string, id: string): Promise<ApiKeyEntity> {
    const repo = this.ds.getRepository(ApiKeyEntity);
    const key = await repo.findOneBy({ id, accountId });
    if (!key) throw notFound('API key', id);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await repo.update({ id, revokedAt: IsNull() }, { revokedAt: key.revokedAt });
    }
    this.verified.forget(new Set([id]));
    return key;
  }

  /** Of these key ids, the ones that exist and are not revoked (one query). */
  private async activeIds(ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.ds.getRepository(ApiKeyEntity).find({ select: { id: true }, where: { id: In([...ids]), revokedAt: IsNull() } });
    return new Set(rows.map((r) => r.id));
  }

  /** True while the key is not revoked (answered from the last confirmation within the revocation window). */
  isActive(keyId: string): Promise<boolean> {
    return this.verified.isActive(keyId);
  }

  /** Tells `holder` (open sockets) when a key it holds is revoked, through any process; returns the unwatch function. */
  watch(holder: KeyHolder): () => void {
    return this.verified.watch(holder);
  }

  /** Stops re-checking keys (shutdown). */
  close(): Promise<void> {
    return this.verified.close();
  }

  /** Resolves a bearer token to its account, or throws UNAUTHENTICATED "Invalid API key". */
  async authenticate(token: string): Promise<Principal> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length < LOOKUP_LENGTH + 8) throw invalidKey();
    const hash = sha256(token);
    const cached = this.verified.get(hash);
    if (cached) return cached;
    const checkedAt = Date.now();
    const apiKey = await this.ds.getRepository(ApiKeyEntity).findOneBy({ prefix: token.slice(0, LOOKUP_LENGTH) });
    if (!apiKey || apiKey.revokedAt) throw invalidKey();
    if (!crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(apiKey.hash, 'hex'))) throw invalidKey();
    const account = await this.ds.getRepository(AccountEntity).findOneBy({ id: apiKey.accountId });
    if (!account) throw invalidKey();
    if (!apiKey.lastUsedAt || checkedAt - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      apiKey.lastUsedAt = new Date(checkedAt);
      await this.ds.getRepository(ApiKeyEntity).update({ id: apiKey.id }, { lastUsedAt: apiKey.lastUsedAt });
    }
    const principal = { account, apiKey };
    this.verified.put(hash, apiKey.id, principal, checkedAt, apiKey.lastUsedAt.getTime());
    return principal;
  }
}

/** Accounts: created by the CLI or on first start. */
export class AccountService {
  constructor(private readonly ds: DataSource) {}

  async create(name: string): Promise<AccountEntity> {
    const account: AccountEntity = { id: newId(), name, signingSecretSealed: null, createdAt: new Date() };
    await this.ds.getRepository(AccountEntity).insert(account);
    return account;
  }

  count(): Promise<number> {
    return this.ds.getRepository(AccountEntity).count();
  }

  findById(id: string): Promise<AccountEntity | null> {
    return this.ds.getRepository(AccountEntity).findOneBy({ id });
  }

  findByName(name: string): Promise<AccountEntity | null> {
    return this.ds.getRepository(AccountEntity).findOneBy({ name });
  }
}
