/** Every error code a client can see in `extensions.code`. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}

export type FieldErrors = Record<string, string[]>;

/**
 * One broken rule, in domain terms: the field, which rule (so a face can word it its own way, e.g.
 * Laravel's "The events field must contain at least 1 items.") and its limits, and Hookline's message.
 */
export interface Violation {
  field: string;
  rule: 'required' | 'maxLength' | 'minItems' | 'maxItems' | 'between' | 'integer' | 'boolean' | 'string' | 'url' | 'oneOf' | 'invalid';
  args?: readonly (number | string)[];
  message: string;
}

/** An error the domain raises on purpose; mapped to a GraphQL error in one place (graphql/errors.ts). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
    /** The rules behind `fieldErrors`, when the domain's validation raised it. */
    readonly violations?: readonly Violation[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Raised when a caller must wait: a per-key limit (RATE_LIMITED) or an outage (SERVICE_UNAVAILABLE). */
export class RetryLaterError extends DomainError {
  constructor(
    code: ErrorCode.RATE_LIMITED | ErrorCode.SERVICE_UNAVAILABLE,
    message: string,
    /** Whole seconds the caller should wait (HTTP `Retry-After`). */
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

/** How long clients are told to wait during a database outage (seconds). @default 5 */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** The answer to any request that needs the database while it cannot be reached. */
export const databaseUnavailable = () =>
  new RetryLaterError(ErrorCode.SERVICE_UNAVAILABLE, 'Service unavailable: the database cannot be reached; retry later', OUTAGE_RETRY_AFTER_SECONDS);

/** Raised for an id that does not exist or belongs to another account (the two look the same). */
export const notFound = (what: string, id: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} not found`);

/** Raised for bad input: a field-level map the frontend can put next to its form fields. */
export function badInput(fieldErrors: FieldErrors, message = 'Invalid input'): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, fieldErrors);
}

/** Adds a message to a field-errors map (creating the list). */
export function addFieldError(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** BAD_USER_INPUT from broken rules: `fieldErrors` holds their messages, `violations` the rules themselves. */
export function invalidInput(violations: readonly Violation[]): DomainError {
  const fieldErrors: FieldErrors = {};
  for (const v of violations) addFieldError(fieldErrors, v.field, v.message);
  return new DomainError(ErrorCode.BAD_USER_INPUT, 'Invalid input', fieldErrors, violations);
}
