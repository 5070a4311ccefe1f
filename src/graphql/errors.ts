import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import type { ApolloServerPlugin } from '@apollo/server';
import { isDatabaseUnavailable } from '../db/errors';
import { databaseUnavailable, DomainError, ErrorCode, FieldErrors, RetryLaterError } from '../domain/errors';

/** HTTP status for errors that decide a whole request's status. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [ErrorCode.IDEMPOTENCY_KEY_IN_USE]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
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
      extensions.http = { status: HTTP_STATUS[err.code] };
      break;
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.SERVICE_UNAVAILABLE:
      extensions.http = { status: HTTP_STATUS[err.code] };
      if (err instanceof RetryLaterError) extensions.retryAfterSeconds = err.retryAfterSeconds;
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
 * field errors, a database that cannot be reached becomes SERVICE_UNAVAILABLE (reported through
 * `logOutage`, not as a bug), and anything unexpected is logged and hidden behind INTERNAL_SERVER_ERROR.
 */
export function formatError(logError: (err: unknown) => void, logOutage: (err: unknown) => void = logError) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let original = error instanceof GraphQLError ? error.originalError : error;
    if (!(original instanceof DomainError) && isDatabaseUnavailable(original)) {
      logOutage(original);
      original = databaseUnavailable();
    }
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
 * Gives a GraphQL response carrying RATE_LIMITED or SERVICE_UNAVAILABLE the HTTP status of that code
 * (429, 503; 503 wins) and a `Retry-After` header, so plain HTTP clients and proxies know to retry.
 */
export function retryLaterStatusPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          let status: number | undefined;
          let retryAfter = 0;
          for (const e of response.body.singleResult.errors ?? []) {
            const code = e.extensions?.code;
            if (code !== ErrorCode.RATE_LIMITED && code !== ErrorCode.SERVICE_UNAVAILABLE) continue;
            status = Math.max(status ?? 0, HTTP_STATUS[code]!);
            retryAfter = Math.max(retryAfter, Number(e.extensions?.retryAfterSeconds) || 1);
          }
          if (status) {
            response.http.status = status;
            response.http.headers.set('retry-after', String(retryAfter));
          }
        },
      };
    },
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
