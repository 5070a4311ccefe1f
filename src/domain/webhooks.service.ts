import { DataSource, IsNull, Repository } from 'typeorm';
import { AgentEntity } from '../db/entities/agent.entity';
import { WebhookEntity, WebhookStatus } from '../db/entities/webhook.entity';
import { assertPublicUrl, LookupAll } from '../net/address-policy';
import { invalidInput, notFound, Violation } from './errors';
import { newId } from './ids';
import { likeLiteral, Page, pageById } from './pagination';
import { SecretBox } from './secret-box';
import { generateSecret, validateSecret } from './signing';
import type { DomainEvents } from './domain-events';
import { checkWebhookShape, DEFAULT_MAX_RETRIES, DEFAULT_SIGNATURE_HEADER, DEFAULT_TIMEOUT_SECONDS, UncheckedWebhookInput, WebhookInput, WebhookRuleOptions } from './webhook-rules';
import { bumpWebhookSetVersion } from './webhook-sets';

/** How long the previous secret keeps signing after a rotation (ms). */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

export interface WebhookListFilter {
  enabled?: boolean | null;
  status?: WebhookStatus | null;
  event?: string | null;
  includeDeleted?: boolean | null;
  /** Only this agent's webhooks. */
  agentId?: string | null;
}

export interface WebhookSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * Webhook subscriptions: every rule (shape, target policy, agent) is checked here, whatever face the
 * request came through, and this owns every write.
 */
export class WebhookService {
  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
    private readonly opts: { allowPrivateTargets: boolean; lookupAll?: LookupAll },
    private readonly events?: DomainEvents,
  ) {}

  private repo() {
    return this.ds.getRepository(WebhookEntity);
  }

  /** Runs a change to the account's webhooks and bumps its webhook-set version in the same transaction (publish caches rely on it). */
  private changeSet(accountId: string, write: (repo: Repository<WebhookEntity>) => Promise<unknown>): Promise<void> {
    return this.ds.transaction(async (m) => {
      await write(m.getRepository(WebhookEntity));
      await bumpWebhookSetVersion(m, accountId);
    });
  }

  /** The target policy's verdict on a URL (refused unless public, or private targets are allowed), as a violation of `field`. */
  async targetViolation(url: string, field = 'url'): Promise<Violation | undefined> {
    try {
      await assertPublicUrl(url, { allowPrivate: this.opts.allowPrivateTargets, lookupAll: this.opts.lookupAll });
      return undefined;
    } catch (e) {
      return { field, rule: 'invalid', message: (e as Error).message };
    }
  }

  /** Every broken rule of a create or an update, or nothing: shape first, then (for a well-formed new URL) the target policy and the agent. */
  private async check(accountId: string, input: UncheckedWebhookInput, mode: 'create' | 'update', currentUrl?: string, rules?: WebhookRuleOptions): Promise<void> {
    const violations = checkWebhookShape(input, mode, rules);
    if (typeof input.url === 'string' && input.url !== currentUrl && !violations.some((v) => v.field === 'url')) {
      const target = await this.targetViolation(input.url);
      if (target) violations.push(target);
    }
    const agentId = input.agentId;
    if (agentId != null && (typeof agentId !== 'string' || !(await this.ds.getRepository(AgentEntity).existsBy({ accountId, id: agentId })))) {
      violations.push({ field: 'agentId', rule: 'invalid', message: `agent ${String(agentId)} not found` });
    }
    if (violations.length) throw invalidInput(violations);
  }

  async create(accountId: string, apiKeyId: string | null, unchecked: UncheckedWebhookInput, rules?: WebhookRuleOptions) {
    await this.check(accountId, unchecked, 'create', undefined, rules);
    const input = unchecked as WebhookInput;
    const secret = input.secret ?? generateSecret();
    const now = new Date();
    const enabled = input.enabled ?? true;
    const webhook = this.repo().create({
      id: newId(),
      accountId,
      name: input.name,
      url: input.url,
      events: [...new Set(input.events)],
      filters: input.filters ?? null,
      secretSealed: this.box.seal(secret),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      timeoutSeconds: input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      maxRetries: input.maxRetries ?? DEFAULT_MAX_RETRIES,
      enabled,
      status: enabled ? 'ACTIVE' : 'PAUSED',
      disabledReason: null,
      headers: input.headers ?? null,
      payloadFormat: input.payloadFormat ?? 'ENVELOPE',
      signatureHeader: (input.signatureHeader ?? DEFAULT_SIGNATURE_HEADER).toLowerCase(),
      agentId: input.agentId ?? null,
      createdByApiKeyId: apiKeyId,
      failingSince: null,
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await this.changeSet(accountId, (repo) => repo.insert(webhook));
    this.events?.webhookChanged(accountId);
    return { webhook, secret };
  }

  /** A live (not deleted) webhook of the account, or NOT_FOUND. */
  async get(accountId: string, id: string, opts: { includeDeleted?: boolean } = {}): Promise<WebhookEntity> {
    const webhook = await this.repo().findOneBy({
      id,
      accountId,
      ...(opts.includeDeleted ? {} : { deletedAt: IsNull() }),
    });
    if (!webhook) throw notFound('Webhook', id);
    return webhook;
  }

  async update(accountId: string, id: string, unchecked: UncheckedWebhookInput): Promise<WebhookEntity> {
    const webhook = await this.get(accountId, id);
    // The stored signature header stands in for an absent one, so custom headers cannot clash with it either.
    await this.check(accountId, { ...unchecked, agentId: undefined, signatureHeader: unchecked.signatureHeader ?? webhook.signatureHeader }, 'update', webhook.url);
    const patch = unchecked as Partial<WebhookInput>;
    const set = <K extends keyof WebhookEntity>(k: K, v: WebhookEntity[K] | null | undefined) => {
      if (v !== undefined && v !== null) webhook[k] = v;
    };
    set('name', patch.name);
    set('url', patch.url);
    if (patch.events) webhook.events = [...new Set(patch.events)];
    if (patch.filters !== undefined) webhook.filters = patch.filters;
    if (patch.headers !== undefined) webhook.headers = patch.headers;
    set('timeoutSeconds', patch.timeoutSeconds);
    set('maxRetries', patch.maxRetries);
    set('payloadFormat', patch.payloadFormat);
    if (patch.signatureHeader) webhook.signatureHeader = patch.signatureHeader.toLowerCase();
    if (patch.secret) webhook.secretSealed = this.box.seal(patch.secret);
    if (patch.enabled != null && patch.enabled !== webhook.enabled) {
      webhook.enabled = patch.enabled;
      webhook.status = patch.enabled ? 'ACTIVE' : 'PAUSED';
      webhook.disabledReason = null;
      webhook.failingSince = null;
      webhook.consecutiveFailures = 0;
    } else if (patch.enabled === true && webhook.status === 'AUTO_DISABLED') {
      webhook.status = 'ACTIVE';
      webhook.disabledReason = null;
      webhook.failingSince = null;
      webhook.consecutiveFailures = 0;
    }
    webhook.updatedAt = new Date();
    await this.changeSet(accountId, (repo) => repo.save(webhook));
    this.events?.webhookChanged(accountId);
    return webhook;
  }

  async delete(accountId: string, id: string): Promise<WebhookEntity> {
    const webhook = await this.get(accountId, id);
    webhook.deletedAt = new Date();
    webhook.updatedAt = webhook.deletedAt;
    await this.changeSet(accountId, (repo) => repo.update({ id, accountId }, { deletedAt: webhook.deletedAt, updatedAt: webhook.updatedAt }));
    this.events?.webhookChanged(accountId);
    return webhook;
  }

  list(accountId: string, args: { first?: number | null; after?: string | null; filter?: WebhookListFilter | null }): Promise<Page<WebhookEntity>> {
    const qb = this.repo().createQueryBuilder('w').where('w.account_id = :accountId', { accountId });
    const f = args.filter ?? {};
    if (!f.includeDeleted) qb.andWhere('w.deleted_at IS NULL');
    if (f.enabled != null) qb.andWhere('w.enabled = :enabled', { enabled: f.enabled });
    if (f.status) qb.andWhere('w.status = :status', { status: f.status });
    if (f.agentId) qb.andWhere('w.agent_id = :agentId', { agentId: f.agentId });
    if (f.event) qb.andWhere(`w.events LIKE :ev ESCAPE '!'`, { ev: `%${likeLiteral(JSON.stringify(f.event))}%` });
    return pageById(qb, args);
  }

  /** The secrets that currently sign: the current one and, within 24 h of a rotation, the previous one. */
  secrets(webhook: WebhookEntity, now = new Date()): WebhookSecrets {
    const prevValid = webhook.previousSecretSealed && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now;
    return {
      secret: this.box.open(webhook.secretSealed),
      previousSecret: prevValid ? this.box.open(webhook.previousSecretSealed!) : null,
      previousSecretExpiresAt: prevValid ? webhook.previousSecretExpiresAt : null,
    };
  }

  /** Starts a new secret; the old one keeps signing for 24 h so receivers can switch without loss. */
  async rotateSecret(accountId: string, id: string, secret?: string | null) {
    if (secret != null) {
      const errors = validateSecret(secret);
      if (errors.length) throw invalidInput(errors.map((message) => ({ field: 'secret', rule: 'invalid', message })));
    }
    const webhook = await this.get(accountId, id);
    const next = secret ?? generateSecret();
    webhook.previousSecretSealed = webhook.secretSealed;
    webhook.previousSecretExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
    webhook.secretSealed = this.box.seal(next);
    webhook.updatedAt = new Date();
    await this.repo().save(webhook);
    this.events?.webhookChanged(accountId);
    return { webhook, secret: next };
  }
}
