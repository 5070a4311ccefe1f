import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { findEventType, isSubscribableEvent } from '../../domain/event-types';
import { isHttpUrl } from '../../domain/webhook-rules';

/** Each entry must be a catalog event type or a sub-event of one (`call.completed.booked_callback`). */
@ValidatorConstraint({ name: 'subscribableEvents' })
export class SubscribableEvents implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return Array.isArray(value) && value.every((e) => typeof e === 'string' && isSubscribableEvent(e));
  }
  defaultMessage(args: ValidationArguments) {
    const bad = Array.isArray(args.value) ? args.value.filter((e) => typeof e !== 'string' || !isSubscribableEvent(e)) : [];
    return `unknown event type ${bad.map((e) => JSON.stringify(e)).join(', ')} (see the eventTypes query)`;
  }
}

/** A type producers may publish: a catalog type (sub-events are for subscriptions only). */
@ValidatorConstraint({ name: 'publishableEventType' })
export class PublishableEventType implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return typeof value === 'string' && findEventType(value) !== undefined;
  }
  defaultMessage(args: ValidationArguments) {
    return `unknown event type ${JSON.stringify(args.value)} (see the eventTypes query)`;
  }
}

/** An absolute http(s) URL with no credentials (the webhook rule, shared with one-off targets). */
@ValidatorConstraint({ name: 'httpUrl' })
export class HttpUrl implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return typeof value === 'string' && isHttpUrl(value);
  }
  defaultMessage() {
    return 'must be an http or https URL';
  }
}
