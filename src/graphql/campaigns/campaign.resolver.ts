import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Context, principalOf } from '../../context';
import { Campaign, UpsertCampaignInput } from './campaign.type';

@Resolver()
export class CampaignResolver {
  @Query(() => [Campaign])
  campaigns(@Ctx() ctx: Context) {
    return ctx.services.campaigns.list(principalOf(ctx).account.id);
  }

  @Mutation(() => Campaign, {
    description: 'Creates or updates a campaign; a status change publishes campaign.activated / campaign.paused.',
  })
  upsertCampaign(@Arg('input', () => UpsertCampaignInput) input: UpsertCampaignInput, @Ctx() ctx: Context) {
    return ctx.services.campaigns.upsert(principalOf(ctx).account.id, input);
  }
}
