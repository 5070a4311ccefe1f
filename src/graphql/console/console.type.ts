import { Field, Int, ObjectType } from 'type-graphql';
import { Event } from '../events/event.type';

@ObjectType({ description: "One time bucket of a webhook's attempts." })
export class TimelineBucket {
  @Field({ description: 'Start of the bucket; it lasts bucketMinutes.' }) start: Date;
  @Field(() => Int, { description: 'Attempts that succeeded (2xx).' }) succeeded: number;
  @Field(() => Int, { description: 'Attempts that failed (any error kind).' }) failed: number;
  @Field(() => Int, { nullable: true }) p50LatencyMs: number | null;
  @Field(() => Int, { nullable: true }) p95LatencyMs: number | null;
}

@ObjectType({ description: 'How one past event fares against the events and filters of a dry-run.' })
export class MatchPreview {
  @Field(() => Event) event: Event;
  @Field() matched: boolean;
  @Field(() => String, { nullable: true, description: 'The first condition that failed; null when matched.' }) reason: string | null;
}
