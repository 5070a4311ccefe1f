"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.USER_AGENT = void 0;
exports.envelope = envelope;
exports.requestHeaders = requestHeaders;
const signing_1 = require("../domain/signing");
const VERSION = require('../../package.json').version;
/** The user-agent every request carries. */
exports.USER_AGENT = `Hookline/${VERSION}`;
/** The compact JSON body a receiver gets: `{"id","type","timestamp","data"}`. */
function envelope(event) {
    return JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data: event.payload });
}
/** Every header of one attempt: custom ones first, so Hookline's own can never be overridden. */
function requestHeaders(input) {
    return {
        ...input.custom,
        'content-type': 'application/json',
        'user-agent': exports.USER_AGENT,
        'x-hookline-event': input.event.type,
        'x-hookline-delivery': input.deliveryId,
        'x-hookline-attempt': String(input.attempt),
        ...(0, signing_1.signatureHeaders)({ id: input.event.id, timestampSec: input.timestampSec ?? Math.floor(Date.now() / 1000), body: input.body, secrets: input.secrets }),
    };
}
