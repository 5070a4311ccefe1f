import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../common/connection';

export enum DeliveryStatusEnum {
  PENDING = 'PENDING',
  IN_FLIGHT = 'IN_FLIGHT',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(DeliveryStatusEnum, { name: 'DeliveryStatus' });

export enum AttemptTriggerEnum {
  SCHEDULED = 'SCHEDULED',
  MANUAL = 'MANUAL',
  TEST = 'TEST',
}
registerEnumType(AttemptTriggerEnum, { name: 'AttemptTrigger' });

export enum ErrorKindEnum {
  TIMEOUT = 'TIMEOUT',
  CONNECTION = 'CONNECTION',
  DNS = 'DNS',
  TLS = 'TLS',
  BLOCKED_TARGET = 'BLOCKED_TARGET',
  HTTP_STATUS = 'HTTP_STATUS',
}
registerEnumType(ErrorKindEnum, { name: 'ErrorKind', description: 'Why an attempt failed; HTTP_STATUS means the receiver answered with a non-2xx status.' });

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
export class DeliveryAttempt {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true }) deliveryId: string | null;
  @Field(() => Int, { description: '1 for the first attempt.' }) number: number;
  @Field(() => AttemptTriggerEnum) trigger: AttemptTriggerEnum;
  @Field() startedAt: Date;
  @Field(() => Int) durationMs: number;
  @Field(() => Int, { nullable: true }) responseStatus: number | null;
  @Field(() => String, { nullable: true, description: 'The first 4 KiB of the response body.' }) responseBody: string | null;
  @Field(() => ErrorKindEnum, { nullable: true }) errorKind: ErrorKindEnum | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => Date, { nullable: true, description: 'When the retry that follows is due (null when none follows).' }) nextAttemptAt: Date | null;
}

@ObjectType({ description: 'One event for one webhook (or for the one-off target given with the event).' })
export class Delivery {
  @Field(() => ID) id: string;
  @Field(() => ID) eventId: string;
  @Field(() => ID, { nullable: true }) webhookId: string | null;
  @Field(() => String, { nullable: true, description: 'The one-off target, when the event named one.' }) targetUrl: string | null;
  @Field(() => DeliveryStatusEnum) status: DeliveryStatusEnum;
  @Field(() => Int) attemptCount: number;
  @Field(() => Date, { nullable: true }) nextAttemptAt: Date | null;
  @Field(() => Int, { nullable: true }) lastResponseStatus: number | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => Date, { nullable: true }) succeededAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class DeliveryConnection extends ConnectionType(Delivery, 'Delivery') {}

@ObjectType({ description: 'Delivery health of a webhook over a window (default the last 24 h).' })
export class WebhookStats {
  @Field(() => Int) windowHours: number;
  @Field(() => Int) deliveries: number;
  @Field(() => Int) succeeded: number;
  @Field(() => Int) failed: number;
  @Field(() => Int, { description: 'PENDING or IN_FLIGHT.' }) pending: number;
  @Field(() => Int) attempts: number;
  @Field(() => Float, { nullable: true, description: 'succeeded / (succeeded + failed); null with no settled delivery.' }) successRate: number | null;
  @Field(() => Int, { nullable: true }) p50LatencyMs: number | null;
  @Field(() => Int, { nullable: true }) p95LatencyMs: number | null;
}

@ObjectType()
export class ReplayResult {
  @Field(() => Int, { description: 'Deliveries queued.' }) count: number;
}
