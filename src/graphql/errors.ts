import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { DomainError, ErrorCode, FieldErrors } from '../domain/errors';

/** HTTP status for errors that decide a whole request's status. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [ErrorCode.IDEMPOTENCY_KEY_IN_USE]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
};

/** Flattens class-validator errors to `{ field: [messages] }`, nested fields dotted (`headers.x`). */
export function fieldErrorsOf(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const field = prefix + e.property;
    if (e.constraints) out[field] = Object.values(e.constraints);
    if (e.children?.length) Object.assign(out, fieldErrorsOf(e.children, `${field}.`));
  }
  return out;
}

/** The one place where a domain error becomes a GraphQL error with `extensions.code`. */
export function toGraphQLError(err: DomainError): GraphQLError {
  const extensions: Record<string, unknown> = { code: err.code };
  switch (err.code) {
    case ErrorCode.BAD_USER_INPUT:
      extensions.fieldErrors = err.fieldErrors ?? {};
      break;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
    case ErrorCode.IDEMPOTENCY_KEY_IN_USE:
    case ErrorCode.RATE_LIMITED:
      extensions.http = { status: HTTP_STATUS[err.code] };
      break;
    case ErrorCode.NOT_FOUND:
      break;
    default: {
      const unreachable: never = err.code;
      throw new Error(`unmapped error code ${unreachable}`);
    }
  }
  return new GraphQLError(err.message, { extensions });
}

/**
 * Apollo's formatError: domain errors keep their code, argument validation becomes BAD_USER_INPUT with
 * field errors, and anything unexpected is logged and hidden behind INTERNAL_SERVER_ERROR.
 */
export function formatError(logError: (err: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof DomainError) {
      const g = toGraphQLError(original);
      return { ...formatted, message: g.message, extensions: { ...g.extensions, http: undefined } };
    }
    if (original instanceof ArgumentValidationError) {
      const fieldErrors = fieldErrorsOf(original.extensions.validationErrors as unknown as ValidationError[]);
      return { message: 'Invalid input', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.BAD_USER_INPUT, fieldErrors } };
    }
    const code = formatted.extensions?.code;
    if (code === ErrorCode.BAD_USER_INPUT && !formatted.extensions?.fieldErrors) {
      return { ...formatted, extensions: { ...formatted.extensions, fieldErrors: coercionFieldErrors(formatted.message) } };
    }
    if (code === 'INTERNAL_SERVER_ERROR' || (!code && original)) {
      logError(original ?? error);
      return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return formatted;
  };
}

/**
 * Field errors for GraphQL's own variable-coercion messages (a required field missing, a value of
 * the wrong type), so that every BAD_USER_INPUT carries `fieldErrors`:
 * `Variable "$input" got invalid value 3 at "input.filters"; Expected type "JSONObject". …` → `{ filters: […] }`.
 */
export function coercionFieldErrors(message: string): FieldErrors {
  const reason = message.split('; ').slice(1).join('; ') || message;
  const at = /at "([^"]+)"/.exec(message);
  if (at) return { [at[1].split('.').slice(1).join('.') || at[1]]: [reason] };
  const missing = /Field "([^"]+)" of required type "[^"]+" was not provided/.exec(message);
  if (missing) return { [missing[1]]: ['is required'] };
  const unknown = /Field "([^"]+)" is not defined by type/.exec(message);
  if (unknown) return { [unknown[1]]: ['is not a known field'] };
  const variable = /Variable "\$([^"]+)"/.exec(message);
  return { [variable?.[1] ?? 'input']: [reason] };
}
