"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CampaignService = void 0;
const campaign_entity_1 = require("../db/entities/campaign.entity");
const errors_1 = require("./errors");
/** Campaigns mirrored from the producer: what is_conversion needs to know. */
class CampaignService {
    ds;
    onStatusChange;
    constructor(ds) {
        this.ds = ds;
    }
    list(accountId) {
        return this.ds.getRepository(campaign_entity_1.CampaignEntity).find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
    }
    async upsert(accountId, input) {
        const repo = this.ds.getRepository(campaign_entity_1.CampaignEntity);
        const existing = await repo.findOneBy({ accountId, id: input.id });
        const now = new Date();
        if (!existing && !input.name)
            throw (0, errors_1.badInput)({ name: ['is required for a new campaign'] });
        const campaign = existing ?? {
            accountId,
            id: input.id,
            name: input.name,
            conversionOutcomes: [],
            status: 'ACTIVE',
            createdAt: now,
            updatedAt: now,
        };
        const previous = existing?.status ?? null;
        if (input.name)
            campaign.name = input.name;
        if (input.conversionOutcomes)
            campaign.conversionOutcomes = [...new Set(input.conversionOutcomes)];
        if (input.status)
            campaign.status = input.status;
        campaign.updatedAt = now;
        await repo.save(campaign);
        if (previous !== campaign.status && this.onStatusChange)
            await this.onStatusChange(accountId, campaign, previous);
        return campaign;
    }
    /** Conversion outcomes of the named campaigns, one query (fan-out's is_conversion). */
    async outcomes(accountId, ids) {
        const map = new Map();
        if (!ids.length)
            return map;
        const rows = await this.ds
            .getRepository(campaign_entity_1.CampaignEntity)
            .createQueryBuilder('c')
            .where('c.account_id = :accountId AND c.id IN (:...ids)', { accountId, ids })
            .getMany();
        for (const r of rows)
            map.set(r.id, r.conversionOutcomes);
        return map;
    }
}
exports.CampaignService = CampaignService;
