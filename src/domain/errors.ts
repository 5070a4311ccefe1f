/** Every error code a client can see in `extensions.code`. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
  RATE_LIMITED = 'RATE_LIMITED',
}

export type FieldErrors = Record<string, string[]>;

/** An error the domain raises on purpose; mapped to a GraphQL error in one place (graphql/errors.ts). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

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
