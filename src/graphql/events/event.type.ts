import { ArrayMaxSize, ArrayMinSize, IsInt, IsNotEmpty, IsObject, IsOptional, Max, MaxLength, Min, Validate } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { HttpUrl, PublishableEventType, SubscribableEvents } from '../common/validators';

@ObjectType({ description: 'An event as published. Its id is the webhook-id receivers get, on every retry.' })
export class Event {
  @Field(() => ID) id: string;
  @Field() type: string;
  @Field(() => GraphQLJSONObject) payload: Record<string, unknown>;
  @Field() occurredAt: Date;
  @Field(() => String, { nullable: true }) idempotencyKey: string | null;
  @Field() createdAt: Date;
}

@ObjectType()
export class EventConnection extends ConnectionType(Event, 'Event') {}

@InputType()
export class PublishEventInput {
  @Field({ description: 'A catalog event type (see eventTypes).' }) @IsNotEmpty({ message: 'is required' }) @Validate(PublishableEventType)
  type: string;

  @Field(() => GraphQLJSONObject) @IsObject({ message: 'must be an object' })
  payload: Record<string, unknown>;

  @Field({ nullable: true, description: 'When it happened; default now.' }) @IsOptional()
  occurredAt?: Date;

  @Field({ nullable: true, description: 'Publishing twice with one key yields the first event, not a second.' })
  @IsOptional() @IsNotEmpty({ message: 'must not be empty' }) @MaxLength(255, { message: 'must be at most 255 characters' })
  idempotencyKey?: string;

  @Field(() => Int, { nullable: true, description: "Delay before the first attempt, 0–86400 s; default the type's (call.completed 15 s)." })
  @IsOptional() @IsInt() @Min(0, { message: 'must be between 0 and 86400' }) @Max(86_400, { message: 'must be between 0 and 86400' })
  deliverAfterSeconds?: number;

  @Field({ nullable: true, description: 'A one-off target for this event only (per-call webhook), signed with the account signing secret.' })
  @IsOptional() @MaxLength(500, { message: 'must be at most 500 characters' })
  @Validate(HttpUrl)
  webhookUrl?: string;

  @Field(() => [String], { nullable: true, description: 'Which types the one-off target wants; default this event\'s type.' })
  @IsOptional() @ArrayMinSize(1, { message: 'must contain at least 1 event' }) @ArrayMaxSize(100) @Validate(SubscribableEvents)
  webhookEvents?: string[];
}
