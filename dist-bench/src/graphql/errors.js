"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fieldErrorsOf = fieldErrorsOf;
exports.toGraphQLError = toGraphQLError;
exports.formatError = formatError;
exports.coercionFieldErrors = coercionFieldErrors;
const graphql_1 = require("graphql");
const type_graphql_1 = require("type-graphql");
const errors_1 = require("../domain/errors");
/** HTTP status for errors that decide a whole request's status. */
const HTTP_STATUS = {
    [errors_1.ErrorCode.UNAUTHENTICATED]: 401,
    [errors_1.ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
    [errors_1.ErrorCode.IDEMPOTENCY_KEY_IN_USE]: 409,
    [errors_1.ErrorCode.RATE_LIMITED]: 429,
};
/** Flattens class-validator errors to `{ field: [messages] }`, nested fields dotted (`headers.x`). */
function fieldErrorsOf(errors, prefix = '') {
    const out = {};
    for (const e of errors) {
        const field = prefix + e.property;
        if (e.constraints)
            out[field] = Object.values(e.constraints);
        if (e.children?.length)
            Object.assign(out, fieldErrorsOf(e.children, `${field}.`));
    }
    return out;
}
/** The one place where a domain error becomes a GraphQL error with `extensions.code`. */
function toGraphQLError(err) {
    const extensions = { code: err.code };
    switch (err.code) {
        case errors_1.ErrorCode.BAD_USER_INPUT:
            extensions.fieldErrors = err.fieldErrors ?? {};
            break;
        case errors_1.ErrorCode.UNAUTHENTICATED:
        case errors_1.ErrorCode.IDEMPOTENCY_KEY_REUSED:
        case errors_1.ErrorCode.IDEMPOTENCY_KEY_IN_USE:
        case errors_1.ErrorCode.RATE_LIMITED:
            extensions.http = { status: HTTP_STATUS[err.code] };
            break;
        case errors_1.ErrorCode.NOT_FOUND:
            break;
        default: {
            const unreachable = err.code;
            throw new Error(`unmapped error code ${unreachable}`);
        }
    }
    return new graphql_1.GraphQLError(err.message, { extensions });
}
/**
 * Apollo's formatError: domain errors keep their code, argument validation becomes BAD_USER_INPUT with
 * field errors, and anything unexpected is logged and hidden behind INTERNAL_SERVER_ERROR.
 */
function formatError(logError) {
    return (formatted, error) => {
        const original = error instanceof graphql_1.GraphQLError ? error.originalError : error;
        if (original instanceof errors_1.DomainError) {
            const g = toGraphQLError(original);
            return { ...formatted, message: g.message, extensions: { ...g.extensions, http: undefined } };
        }
        if (original instanceof type_graphql_1.ArgumentValidationError) {
            const fieldErrors = fieldErrorsOf(original.extensions.validationErrors);
            return { message: 'Invalid input', path: formatted.path, locations: formatted.locations, extensions: { code: errors_1.ErrorCode.BAD_USER_INPUT, fieldErrors } };
        }
        const code = formatted.extensions?.code;
        if (code === errors_1.ErrorCode.BAD_USER_INPUT && !formatted.extensions?.fieldErrors) {
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
function coercionFieldErrors(message) {
    const reason = message.split('; ').slice(1).join('; ') || message;
    const at = /at "([^"]+)"/.exec(message);
    if (at)
        return { [at[1].split('.').slice(1).join('.') || at[1]]: [reason] };
    const missing = /Field "([^"]+)" of required type "[^"]+" was not provided/.exec(message);
    if (missing)
        return { [missing[1]]: ['is required'] };
    const unknown = /Field "([^"]+)" is not defined by type/.exec(message);
    if (unknown)
        return { [unknown[1]]: ['is not a known field'] };
    const variable = /Variable "\$([^"]+)"/.exec(message);
    return { [variable?.[1] ?? 'input']: [reason] };
}
