import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { PayloadFormatEnum, WebhookStatusEnum } from './webhook.type';

// No validation decorators here: every webhook rule lives in domain/webhook-rules.ts, shared with the REST faces.

@InputType()
export class CreateWebhookInput {
  @Field({ description: 'At most 255 characters.' }) name: string;
  @Field({ description: 'http(s), at most 500 characters; must resolve to a public address.' }) url: string;
  @Field(() => [String], { description: '1–100 catalog event types, sub-events (call.completed.booked_callback) or *.' })
  events: string[];
  @Field(() => GraphQLJSONObject, { nullable: true }) filters?: Record<string, unknown> | null;
  @Field({
    nullable: true,
    description: 'Generated (whsec_…) when omitted. Any 1–255 character string is keyed as given; a whsec_ one must be Standard Webhooks base64.',
  })
  secret?: string;
  @Field(() => Int, { nullable: true, description: 'Seconds for the whole request, 5–120. Default 30.' }) timeoutSeconds?: number;
  @Field(() => Int, { nullable: true, description: 'Retries after the first attempt, 0–10. Default 4.' }) maxRetries?: number;
  @Field({ nullable: true, description: 'Default true.' }) enabled?: boolean;
  @Field(() => GraphQLJSONObject, { nullable: true, description: "Extra request headers (may not override Hookline's own)." })
  headers?: Record<string, string> | null;
  @Field(() => PayloadFormatEnum, { nullable: true, description: 'Default ENVELOPE.' }) payloadFormat?: PayloadFormatEnum;
  @Field({ nullable: true, description: 'Header carrying the hex HMAC of the body. Default x-hookline-signature.' }) signatureHeader?: string;
  @Field(() => ID, { nullable: true, description: "An agent of yours (upsertAgent): the webhook hears only events whose payload's agent_id is it." })
  agentId?: string;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateWebhookInput {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) url?: string;
  @Field(() => [String], { nullable: true }) events?: string[];
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'null clears the filters.' }) filters?: Record<string, unknown> | null;
  @Field(() => Int, { nullable: true }) timeoutSeconds?: number;
  @Field(() => Int, { nullable: true }) maxRetries?: number;
  @Field({ nullable: true, description: 'false pauses (status PAUSED); true re-enables, also after AUTO_DISABLED.' }) enabled?: boolean;
  @Field(() => GraphQLJSONObject, { nullable: true }) headers?: Record<string, string> | null;
  @Field(() => PayloadFormatEnum, { nullable: true }) payloadFormat?: PayloadFormatEnum;
  @Field({ nullable: true }) signatureHeader?: string;
}

@InputType()
export class WebhookFilter {
  @Field({ nullable: true }) enabled?: boolean;
  @Field(() => WebhookStatusEnum, { nullable: true }) status?: WebhookStatusEnum;
  @Field({ nullable: true, description: 'Webhooks subscribed to exactly this event name.' }) event?: string;
  @Field({ nullable: true, description: 'Include soft-deleted webhooks.' }) includeDeleted?: boolean;
  @Field(() => ID, { nullable: true, description: "Only this agent's webhooks." }) agentId?: string;
}
