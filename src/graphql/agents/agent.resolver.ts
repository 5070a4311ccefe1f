import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Context, principalOf } from '../../context';
import { Agent, UpsertAgentInput } from './agent.type';

@Resolver()
export class AgentResolver {
  @Query(() => [Agent])
  agents(@Ctx() ctx: Context) {
    return ctx.services.agents.list(principalOf(ctx).account.id);
  }

  @Mutation(() => Agent, { description: 'Creates an agent, or renames an existing one.' })
  upsertAgent(@Arg('input', () => UpsertAgentInput) input: UpsertAgentInput, @Ctx() ctx: Context) {
    return ctx.services.agents.upsert(principalOf(ctx).account.id, input);
  }
}
