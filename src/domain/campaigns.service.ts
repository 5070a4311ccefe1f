import { DataSource } from 'typeorm';
import { CampaignEntity, CampaignStatus } from '../db/entities/campaign.entity';
import { bumpCampaignSetVersion } from './campaign-cache';
import { badInput, invalidInput, Violation } from './errors';
import { checkWebhookShape } from './webhook-rules';

export interface CampaignInput {
  id: string;
  name?: string | null;
  conversionOutcomes?: string[] | null;
  status?: CampaignStatus | null;
  /** The campaign's own webhook target; '' clears it. */
  webhookUrl?: string | null;
  /** Which of its events go there (default: every campaign.* and call.* event naming it). */
  webhookEvents?: string[] | null;
}

/** Called after a campaign's status changed, to publish campaign.activated / campaign.paused. */
export type CampaignStatusListener = (accountId: string, campaign: CampaignEntity, previous: CampaignStatus | null) => Promise<void>;

/** Campaigns mirrored from the producer: what is_conversion needs to know. */
export class CampaignService {
  onStatusChange?: CampaignStatusListener;

  constructor(
    private readonly ds: DataSource,
    /** The target policy (see WebhookService.targetViolation). */
    private readonly targetViolation: (url: string, field: string) => Promise<Violation | undefined>,
  ) {}

  /** The webhook rules applied to a campaign's target: URL shape and policy, event names. */
  private async checkTarget(input: CampaignInput): Promise<void> {
    const shape = checkWebhookShape({ url: input.webhookUrl || undefined, events: input.webhookEvents ?? undefined }, 'update');
    const violations = shape.map((v) => ({ ...v, field: v.field === 'url' ? 'webhookUrl' : 'webhookEvents' }));
    if (input.webhookEvents?.length && !input.webhookUrl) violations.push({ field: 'webhookEvents', rule: 'required', message: 'needs webhookUrl' });
    if (input.webhookUrl && !violations.some((v) => v.field === 'webhookUrl')) {
      const target = await this.targetViolation(input.webhookUrl, 'webhookUrl');
      if (target) violations.push(target);
    }
    if (violations.length) throw invalidInput(violations);
  }

  list(accountId: string): Promise<CampaignEntity[]> {
    return this.ds.getRepository(CampaignEntity).find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async upsert(accountId: string, input: CampaignInput): Promise<CampaignEntity> {
    await this.checkTarget(input);
    const repo = this.ds.getRepository(CampaignEntity);
    const existing = await repo.findOneBy({ accountId, id: input.id });
    const now = new Date();
    if (!existing && !input.name) throw badInput({ name: ['is required for a new campaign'] });
    const campaign: CampaignEntity = existing ?? {
      accountId,
      id: input.id,
      name: input.name!,
      conversionOutcomes: [],
      status: 'ACTIVE',
      webhookUrl: null,
      webhookEvents: null,
      createdAt: now,
      updatedAt: now,
    };
    const previous = existing?.status ?? null;
    if (input.name) campaign.name = input.name;
    if (input.conversionOutcomes) campaign.conversionOutcomes = [...new Set(input.conversionOutcomes)];
    if (input.status) campaign.status = input.status;
    if (input.webhookUrl !== undefined && input.webhookUrl !== null) {
      campaign.webhookUrl = input.webhookUrl || null;
      campaign.webhookEvents = input.webhookUrl && input.webhookEvents?.length ? [...new Set(input.webhookEvents)] : null;
    }
    campaign.updatedAt = now;
    // The row and the account's campaign-set version change together (publishes keep campaign rows: CampaignCache).
    await this.ds.transaction(async (m) => {
      await m.getRepository(CampaignEntity).save(campaign);
      await bumpCampaignSetVersion(m, accountId);
    });
    if (previous !== campaign.status && this.onStatusChange) await this.onStatusChange(accountId, campaign, previous);
    return campaign;
  }

  /** Conversion outcomes of the named campaigns, one query (fan-out's is_conversion). */
  async outcomes(accountId: string, ids: string[]): Promise<Map<string, readonly string[]>> {
    const map = new Map<string, readonly string[]>();
    if (!ids.length) return map;
    const rows = await this.ds
      .getRepository(CampaignEntity)
      .createQueryBuilder('c')
      .where('c.account_id = :accountId AND c.id IN (:...ids)', { accountId, ids })
      .getMany();
    for (const r of rows) map.set(r.id, r.conversionOutcomes);
    return map;
  }
}
