import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { findEventType, isSubscribableEvent } from '../../domain/event-types';
import { validateFilters } from '../../domain/filters';
import { validateSecret } from '../../domain/signing';
import { validateCustomHeaders } from '../../domain/custom-headers';

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

/** Filters: scalars, arrays of scalars, LIKE strings (see domain/filters). */
@ValidatorConstraint({ name: 'filters' })
export class ValidFilters implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return value == null || validateFilters(value).length === 0;
  }
  defaultMessage(args: ValidationArguments) {
    return validateFilters(args.value).join('; ');
  }
}

/** Custom headers may not override Hookline's own. */
@ValidatorConstraint({ name: 'customHeaders' })
export class ValidCustomHeaders implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return value == null || validateCustomHeaders(value).length === 0;
  }
  defaultMessage(args: ValidationArguments) {
    return validateCustomHeaders(args.value).join('; ');
  }
}

/** A user-supplied signing secret in the whsec_ format. */
@ValidatorConstraint({ name: 'webhookSecret' })
export class ValidSecret implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return value == null || (typeof value === 'string' && validateSecret(value).length === 0);
  }
  defaultMessage(args: ValidationArguments) {
    return typeof args.value === 'string' ? validateSecret(args.value).join('; ') : 'must be a string';
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

/**
 * An absolute http(s) URL as WHATWG parses it (so numeric hosts such as http://2130706433/ parse and
 * then meet the SSRF guard, which says why they are refused). No credentials in the URL.
 */
@ValidatorConstraint({ name: 'httpUrl' })
export class HttpUrl implements ValidatorConstraintInterface {
  validate(value: unknown) {
    if (typeof value !== 'string') return false;
    try {
      const u = new URL(value);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !u.username && !u.password;
    } catch {
      return false;
    }
  }
  defaultMessage() {
    return 'must be an http or https URL';
  }
}
