"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.notFound = exports.DomainError = exports.ErrorCode = void 0;
exports.badInput = badInput;
exports.addFieldError = addFieldError;
/** Every error code a client can see in `extensions.code`. */
var ErrorCode;
(function (ErrorCode) {
    ErrorCode["UNAUTHENTICATED"] = "UNAUTHENTICATED";
    ErrorCode["NOT_FOUND"] = "NOT_FOUND";
    ErrorCode["BAD_USER_INPUT"] = "BAD_USER_INPUT";
    ErrorCode["IDEMPOTENCY_KEY_REUSED"] = "IDEMPOTENCY_KEY_REUSED";
    ErrorCode["IDEMPOTENCY_KEY_IN_USE"] = "IDEMPOTENCY_KEY_IN_USE";
    ErrorCode["RATE_LIMITED"] = "RATE_LIMITED";
})(ErrorCode || (exports.ErrorCode = ErrorCode = {}));
/** An error the domain raises on purpose; mapped to a GraphQL error in one place (graphql/errors.ts). */
class DomainError extends Error {
    code;
    fieldErrors;
    constructor(code, message, fieldErrors) {
        super(message);
        this.code = code;
        this.fieldErrors = fieldErrors;
        this.name = 'DomainError';
    }
}
exports.DomainError = DomainError;
/** Raised for an id that does not exist or belongs to another account (the two look the same). */
const notFound = (what, id) => new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} not found`);
exports.notFound = notFound;
/** Raised for bad input: a field-level map the frontend can put next to its form fields. */
function badInput(fieldErrors, message = 'Invalid input') {
    return new DomainError(ErrorCode.BAD_USER_INPUT, message, fieldErrors);
}
/** Adds a message to a field-errors map (creating the list). */
function addFieldError(errors, field, message) {
    (errors[field] ??= []).push(message);
}
