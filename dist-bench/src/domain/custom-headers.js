"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_CUSTOM_HEADERS = void 0;
exports.validateCustomHeaders = validateCustomHeaders;
/** Headers Hookline sets itself (or that HTTP owns); a webhook's custom headers may not override them. */
const RESERVED = new Set([
    'content-type',
    'content-length',
    'host',
    'user-agent',
    'connection',
    'transfer-encoding',
    'keep-alive',
    'upgrade',
    'te',
    'trailer',
    'expect',
]);
const RESERVED_PREFIXES = ['webhook-', 'x-hookline-'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** At most this many custom headers per webhook. */
exports.MAX_CUSTOM_HEADERS = 20;
/** Validates a webhook's custom headers; returns messages (empty when valid). */
function validateCustomHeaders(input) {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
        return ['must be an object of header name to string value'];
    const entries = Object.entries(input);
    const errors = [];
    if (entries.length > exports.MAX_CUSTOM_HEADERS)
        errors.push(`at most ${exports.MAX_CUSTOM_HEADERS} headers`);
    for (const [name, value] of entries) {
        const lower = name.toLowerCase();
        if (!TOKEN.test(name) || name.length > 100)
            errors.push(`"${name}" is not a valid header name`);
        else if (RESERVED.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p)))
            errors.push(`"${name}" is set by Hookline and cannot be overridden`);
        if (typeof value !== 'string')
            errors.push(`"${name}" must have a string value`);
        else if (value.length > 1000 || /[\r\n\0]/.test(value))
            errors.push(`"${name}" value must be ≤ 1000 characters with no line breaks`);
    }
    return errors;
}
