"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_COMPLEXITY = exports.MAX_DEPTH = void 0;
exports.depthLimitRule = depthLimitRule;
exports.complexityError = complexityError;
exports.complexityPlugin = complexityPlugin;
const graphql_1 = require("graphql");
const graphql_query_complexity_1 = require("graphql-query-complexity");
/** Deepest field nesting an operation may have. @default 12 */
exports.MAX_DEPTH = 12;
/** Largest cost an operation may have (fields, multiplied by page sizes). @default 20_000 */
exports.MAX_COMPLEXITY = 20_000;
/** Refuses operations nested deeper than `max` fields (fragments followed, cycles guarded; introspection exempt). */
function depthLimitRule(max = exports.MAX_DEPTH) {
    return (context) => {
        const fragments = new Map();
        for (const d of context.getDocument().definitions)
            if (d.kind === graphql_1.Kind.FRAGMENT_DEFINITION)
                fragments.set(d.name.value, d);
        const depthOf = (set, depth, seen) => {
            let deepest = depth;
            for (const s of set.selections) {
                if (s.kind === graphql_1.Kind.FIELD) {
                    // Introspection (GraphiQL's schema query nests ofType deeply) reads no data: not counted.
                    if (s.name.value.startsWith('__'))
                        continue;
                    if (s.selectionSet)
                        deepest = Math.max(deepest, depthOf(s.selectionSet, depth + 1, seen));
                }
                else if (s.kind === graphql_1.Kind.INLINE_FRAGMENT) {
                    deepest = Math.max(deepest, depthOf(s.selectionSet, depth, seen));
                }
                else if (!seen.has(s.name.value)) {
                    const f = fragments.get(s.name.value);
                    if (f)
                        deepest = Math.max(deepest, depthOf(f.selectionSet, depth, new Set(seen).add(s.name.value)));
                }
            }
            return deepest;
        };
        return {
            OperationDefinition(op) {
                const depth = depthOf(op.selectionSet, 1, new Set());
                if (depth > max)
                    context.reportError(new graphql_1.GraphQLError(`Query is nested ${depth} levels deep; the limit is ${max}`, { nodes: [op], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
            },
        };
    };
}
/** Each field costs 1 plus its children, times the page size it asks for (`first`). */
const pageEstimator = ({ args, childComplexity }) => {
    const first = typeof args.first === 'number' ? args.first : 1;
    return 1 + childComplexity * Math.max(1, first);
};
/** The complexity error for an operation, or undefined when it is within the limit. */
function complexityError(schema, document, variables = {}, operationName) {
    let cost;
    try {
        cost = (0, graphql_query_complexity_1.getComplexity)({ schema, query: document, variables, operationName: operationName ?? undefined, estimators: [pageEstimator] });
    }
    catch {
        // Variables that do not coerce: execution reports them field by field (BAD_USER_INPUT).
        return undefined;
    }
    if (cost > exports.MAX_COMPLEXITY) {
        return new graphql_1.GraphQLError(`Query costs ${cost}; the limit is ${exports.MAX_COMPLEXITY} (ask for smaller pages)`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
    }
    return undefined;
}
/** Apollo plugin applying the complexity limit once variables are known. */
function complexityPlugin(schema) {
    return {
        async requestDidStart() {
            return {
                async didResolveOperation({ request, document }) {
                    const err = complexityError(schema, document, request.variables ?? {}, request.operationName);
                    if (err)
                        throw err;
                },
            };
        },
    };
}
