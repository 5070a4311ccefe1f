import { MaxLength, MinLength } from 'class-validator';
import { Arg, ArgsType, Args, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Context, principalOf } from '../../context';
import { ApiKey, CreatedApiKey, Me } from './account.type';

@ArgsType()
class CreateApiKeyArgs {
  @Field() @MinLength(1, { message: 'is required' }) @MaxLength(255, { message: 'must be at most 255 characters' })
  name: string;
}

@Resolver()
export class AccountResolver {
  @Query(() => Me)
  me(@Ctx() ctx: Context): Me {
    return principalOf(ctx);
  }

  @Query(() => String, {
    description: 'The whsec_ secret that signs deliveries to one-off targets (publishEvent webhookUrl); created on first use.',
  })
  accountSigningSecret(@Ctx() ctx: Context) {
    return ctx.services.events.ensureAccountSecret(ctx.services.ds, principalOf(ctx).account.id);
  }

  @Query(() => [ApiKey])
  apiKeys(@Ctx() ctx: Context) {
    return ctx.services.apiKeys.list(principalOf(ctx).account.id);
  }

  @Mutation(() => CreatedApiKey)
  createApiKey(@Args(() => CreateApiKeyArgs) { name }: CreateApiKeyArgs, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.create(principalOf(ctx).account.id, name);
  }

  @Mutation(() => ApiKey, { description: 'Revoked keys stop working at once; revoking twice is harmless.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.revoke(principalOf(ctx).account.id, id);
  }
}
