import { validate } from 'class-validator';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Context, principalOf } from '../../context';
import { badInput, FieldErrors } from '../../domain/errors';
import { checkPageSize, MAX_PAGE_SIZE } from '../../domain/pagination';
import { fieldErrorsOf } from '../errors';
import { noValidation } from '../validation';
import { NEWEST_FIRST, toConnection } from '../common/connection';
import { loadersOf } from '../common/loaders';
import { Delivery } from '../deliveries/delivery.type';
import { Event, EventConnection, PublishEventInput } from './event.type';

/** Events per publishEvents call at most. */
const MAX_BATCH = 500;

@Resolver(() => Event)
export class EventResolver {
  @Query(() => Event)
  event(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.events.get(principalOf(ctx).account.id, id);
  }

  @Query(() => EventConnection, { description: 'Events, oldest first.' })
  async events(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('type', () => String, { nullable: true }) type?: string,
    @Arg('since', () => Date, { nullable: true }) since?: Date,
    @Arg('newestFirst', () => Boolean, { nullable: true, description: NEWEST_FIRST }) newestFirst?: boolean,
  ) {
    return toConnection(await ctx.services.events.list(principalOf(ctx).account.id, { first, after, type, since, newestFirst }));
  }

  @Mutation(() => Event, {
    description: 'Stores the event and its deliveries in one transaction; with a known idempotencyKey, returns the first event instead.',
  })
  async publishEvent(@Arg('input', () => PublishEventInput) input: PublishEventInput, @Ctx() ctx: Context) {
    ctx.services.limits.publish(principalOf(ctx).apiKey.id, 1);
    const [r] = await ctx.services.events.publish(principalOf(ctx).account.id, [input], () => '');
    return r.event;
  }

  @Mutation(() => [Event], { description: 'A batch in one transaction: one bad event and nothing is written. Field errors are keyed inputs.<index>.<field>.' })
  async publishEvents(@Arg('inputs', () => [PublishEventInput], { validateFn: noValidation }) inputs: PublishEventInput[], @Ctx() ctx: Context) {
    if (inputs.length < 1 || inputs.length > MAX_BATCH) throw badInput({ inputs: [`must contain between 1 and ${MAX_BATCH} events`] });
    const errors: FieldErrors = {};
    await Promise.all(
      inputs.map(async (input, i) => {
        for (const [field, msgs] of Object.entries(fieldErrorsOf(await validate(input, { forbidUnknownValues: false })))) errors[`inputs.${i}.${field}`] = msgs;
      }),
    );
    if (Object.keys(errors).length) throw badInput(errors);
    ctx.services.limits.publish(principalOf(ctx).apiKey.id, inputs.length);
    return (await ctx.services.events.publish(principalOf(ctx).account.id, inputs)).map((r) => r.event);
  }

  @FieldResolver(() => [Delivery], { description: 'The deliveries of this event, one per matching webhook (the first `first`, 1–100).' })
  async deliveries(@Root() event: Event, @Ctx() ctx: Context, @Arg('first', () => Int, { defaultValue: MAX_PAGE_SIZE }) first: number) {
    const n = checkPageSize(first);
    return (await loadersOf(ctx).deliveriesOfEvent.load(event.id)).slice(0, n);
  }
}
