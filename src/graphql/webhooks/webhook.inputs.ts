import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsInt, IsNotEmpty, IsOptional, Max, MaxLength, Min, Validate } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { HttpUrl, SubscribableEvents, ValidCustomHeaders, ValidFilters, ValidSecret } from '../common/validators';
import { WebhookStatusEnum } from './webhook.type';


@InputType()
export class CreateWebhookInput {
  @Field() @IsNotEmpty({ message: 'is required' }) @MaxLength(255, { message: 'must be at most 255 characters' })
  name: string;

  @Field() @IsNotEmpty({ message: 'is required' }) @MaxLength(500, { message: 'must be at most 500 characters' })
  @Validate(HttpUrl)
  url: string;

  @Field(() => [String]) @ArrayMinSize(1, { message: 'must contain at least 1 event' })
  @ArrayMaxSize(100, { message: 'must contain at most 100 events' }) @Validate(SubscribableEvents)
  events: string[];

  @Field(() => GraphQLJSONObject, { nullable: true }) @IsOptional() @Validate(ValidFilters)
  filters?: Record<string, unknown> | null;

  @Field({ nullable: true, description: 'whsec_… secret; generated when omitted.' }) @IsOptional() @MaxLength(255) @Validate(ValidSecret)
  secret?: string;

  @Field(() => Int, { nullable: true, description: 'Seconds for the whole request, 5–120. Default 30.' })
  @IsOptional() @IsInt() @Min(5, { message: 'must be between 5 and 120' }) @Max(120, { message: 'must be between 5 and 120' })
  timeoutSeconds?: number;

  @Field(() => Int, { nullable: true, description: 'Retries after the first attempt, 0–10. Default 4.' })
  @IsOptional() @IsInt() @Min(0, { message: 'must be between 0 and 10' }) @Max(10, { message: 'must be between 0 and 10' })
  maxRetries?: number;

  @Field({ nullable: true, description: 'Default true.' }) @IsOptional() @IsBoolean()
  enabled?: boolean;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Extra request headers (may not override Hookline\'s own).' })
  @IsOptional() @Validate(ValidCustomHeaders)
  headers?: Record<string, string> | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateWebhookInput {
  @Field({ nullable: true }) @IsOptional() @IsNotEmpty({ message: 'must not be empty' }) @MaxLength(255, { message: 'must be at most 255 characters' })
  name?: string;

  @Field({ nullable: true }) @IsOptional() @MaxLength(500, { message: 'must be at most 500 characters' }) @Validate(HttpUrl)
  url?: string;

  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMinSize(1, { message: 'must contain at least 1 event' })
  @ArrayMaxSize(100, { message: 'must contain at most 100 events' }) @Validate(SubscribableEvents)
  events?: string[];

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'null clears the filters.' }) @IsOptional() @Validate(ValidFilters)
  filters?: Record<string, unknown> | null;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt()
  @Min(5, { message: 'must be between 5 and 120' }) @Max(120, { message: 'must be between 5 and 120' })
  timeoutSeconds?: number;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt()
  @Min(0, { message: 'must be between 0 and 10' }) @Max(10, { message: 'must be between 0 and 10' })
  maxRetries?: number;

  @Field({ nullable: true, description: 'false pauses (status PAUSED); true re-enables, also after AUTO_DISABLED.' }) @IsOptional() @IsBoolean()
  enabled?: boolean;

  @Field(() => GraphQLJSONObject, { nullable: true }) @IsOptional() @Validate(ValidCustomHeaders)
  headers?: Record<string, string> | null;
}

@InputType()
export class WebhookFilter {
  @Field({ nullable: true }) enabled?: boolean;
  @Field(() => WebhookStatusEnum, { nullable: true }) status?: WebhookStatusEnum;
  @Field({ nullable: true, description: 'Webhooks subscribed to exactly this event name.' }) event?: string;
  @Field({ nullable: true, description: 'Include soft-deleted webhooks.' }) includeDeleted?: boolean;
}
