import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../common/connection';

export enum WebhookStatusEnum {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  AUTO_DISABLED = 'AUTO_DISABLED',
}
registerEnumType(WebhookStatusEnum, {
  name: 'WebhookStatus',
  description: 'ACTIVE delivers; PAUSED was disabled by a user; AUTO_DISABLED by Hookline (410 Gone, or failing for days).',
});

export enum PayloadFormatEnum {
  ENVELOPE = 'ENVELOPE',
  DATA = 'DATA',
}
registerEnumType(PayloadFormatEnum, {
  name: 'PayloadFormat',
  description: 'ENVELOPE: {id, type, timestamp, data}; DATA: the event payload itself is the body (TopCalls receivers).',
});

/** A webhook subscription. Its secret is never a field here: see `webhookSecret`. */
@ObjectType({ description: 'A webhook subscription: where to POST which events.' })
export class Webhook {
  @Field(() => ID) id: string;
  @Field(() => ID) accountId: string;
  @Field() name: string;
  @Field() url: string;
  @Field(() => [String], { description: 'Event types or sub-events (call.completed.booked_callback).' }) events: string[];
  @Field(() => Int) get eventsCount(): number {
    return this.events.length;
  }
  @Field(() => GraphQLJSONObject, { nullable: true }) filters: Record<string, unknown> | null;
  @Field(() => Int) timeoutSeconds: number;
  @Field(() => Int) maxRetries: number;
  @Field() enabled: boolean;
  @Field(() => WebhookStatusEnum) status: WebhookStatusEnum;
  @Field(() => String, { nullable: true }) disabledReason: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) headers: Record<string, string> | null;
  @Field(() => PayloadFormatEnum) payloadFormat: PayloadFormatEnum;
  @Field({ description: 'Header carrying the hex HMAC-SHA256 of the body.' }) signatureHeader: string;
  @Field(() => ID, { nullable: true, description: 'The agent whose events alone this webhook hears.' }) agentId: string | null;
  @Field(() => ID, { nullable: true }) createdByApiKeyId: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) deletedAt: Date | null;
}

@ObjectType()
export class WebhookWithSecret {
  @Field(() => Webhook) webhook: Webhook;
  @Field({ description: 'The signing secret (whsec_…). Store it now: it is shown in full only here and by webhookSecret.' })
  secret: string;
}

@ObjectType()
export class WebhookSecret {
  @Field() secret: string;
  @Field(() => String, { nullable: true, description: 'The secret before the last rotation, still signing until previousSecretExpiresAt.' })
  previousSecret: string | null;
  @Field(() => Date, { nullable: true }) previousSecretExpiresAt: Date | null;
}

@ObjectType()
export class WebhookConnection extends ConnectionType(Webhook, 'Webhook') {}
