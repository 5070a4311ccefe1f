"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sendGraphQLError = sendGraphQLError;
exports.queryTextOf = queryTextOf;
exports.isIntrospectionOnly = isIntrospectionOnly;
exports.authMiddleware = authMiddleware;
const graphql_1 = require("graphql");
const context_1 = require("../context");
const errors_1 = require("../domain/errors");
/** Writes a GraphQL-shaped error response (for errors raised before Apollo runs). */
function sendGraphQLError(res, status, message, extensions) {
    res.status(status).type('application/json').send(JSON.stringify({ errors: [{ message, extensions }] }));
}
/** The query text of a GraphQL HTTP request (POST body or GET query string). */
function queryTextOf(req) {
    const q = req.method === 'GET' ? req.query.query : req.body?.query;
    return typeof q === 'string' ? q : undefined;
}
/** True when every root field of every operation is an introspection field (`__schema`, `__type`, `__typename`). */
function isIntrospectionOnly(query) {
    if (!query)
        return false;
    try {
        const doc = (0, graphql_1.parse)(query);
        const ops = doc.definitions.filter((d) => d.kind === graphql_1.Kind.OPERATION_DEFINITION);
        return (ops.length > 0 &&
            ops.every((op) => op.kind === graphql_1.Kind.OPERATION_DEFINITION && op.selectionSet.selections.every((s) => s.kind === graphql_1.Kind.FIELD && s.name.value.startsWith('__'))));
    }
    catch {
        return false;
    }
}
/**
 * Authenticates `Authorization: Bearer <api key>` and puts the caller on `req.principal`. A request
 * without a key is refused with 401 unless it only introspects the schema (GraphiQL loads it first).
 */
function authMiddleware(services) {
    return async (req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'POST')
            return next();
        const token = (0, context_1.bearerToken)(req.headers.authorization);
        if (!token) {
            // A browser opening /graphql gets the (offline) landing page; introspection needs no key.
            const query = queryTextOf(req);
            if ((req.method === 'GET' && query === undefined) || isIntrospectionOnly(query)) {
                req.principal = null;
                return next();
            }
            return sendGraphQLError(res, 401, 'Missing Bearer Token', { code: errors_1.ErrorCode.UNAUTHENTICATED });
        }
        try {
            req.principal = await services.apiKeys.authenticate(token);
            next();
        }
        catch (e) {
            if (e instanceof errors_1.DomainError && e.code === errors_1.ErrorCode.UNAUTHENTICATED) {
                return sendGraphQLError(res, 401, e.message, { code: e.code });
            }
            next(e);
        }
    };
}
