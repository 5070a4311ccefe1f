"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.principalOf = principalOf;
exports.bearerToken = bearerToken;
const errors_1 = require("./domain/errors");
/** The caller, or UNAUTHENTICATED. */
function principalOf(ctx) {
    if (!ctx.principal)
        throw new errors_1.DomainError(errors_1.ErrorCode.UNAUTHENTICATED, 'Missing Bearer Token');
    return ctx.principal;
}
/** Extracts the token from `Bearer <token>`; undefined when the header is absent or empty. */
function bearerToken(header) {
    if (!header)
        return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m ? m[1] : header.trim() || undefined;
}
