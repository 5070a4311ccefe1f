"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.HttpUrl = exports.PublishableEventType = exports.ValidSecret = exports.ValidCustomHeaders = exports.ValidFilters = exports.SubscribableEvents = void 0;
const class_validator_1 = require("class-validator");
const event_types_1 = require("../../domain/event-types");
const filters_1 = require("../../domain/filters");
const signing_1 = require("../../domain/signing");
const custom_headers_1 = require("../../domain/custom-headers");
/** Each entry must be a catalog event type or a sub-event of one (`call.completed.booked_callback`). */
let SubscribableEvents = class SubscribableEvents {
    validate(value) {
        return Array.isArray(value) && value.every((e) => typeof e === 'string' && (0, event_types_1.isSubscribableEvent)(e));
    }
    defaultMessage(args) {
        const bad = Array.isArray(args.value) ? args.value.filter((e) => typeof e !== 'string' || !(0, event_types_1.isSubscribableEvent)(e)) : [];
        return `unknown event type ${bad.map((e) => JSON.stringify(e)).join(', ')} (see the eventTypes query)`;
    }
};
exports.SubscribableEvents = SubscribableEvents;
exports.SubscribableEvents = SubscribableEvents = __decorate([
    (0, class_validator_1.ValidatorConstraint)({ name: 'subscribableEvents' })
], SubscribableEvents);
/** Filters: scalars, arrays of scalars, LIKE strings (see domain/filters). */
let ValidFilters = class ValidFilters {
    validate(value) {
        return value == null || (0, filters_1.validateFilters)(value).length === 0;
    }
    defaultMessage(args) {
        return (0, filters_1.validateFilters)(args.value).join('; ');
    }
};
exports.ValidFilters = ValidFilters;
exports.ValidFilters = ValidFilters = __decorate([
    (0, class_validator_1.ValidatorConstraint)({ name: 'filters' })
], ValidFilters);
/** Custom headers may not override Hookline's own. */
let ValidCustomHeaders = class ValidCustomHeaders {
    validate(value) {
        return value == null || (0, custom_headers_1.validateCustomHeaders)(value).length === 0;
    }
    defaultMessage(args) {
        return (0, custom_headers_1.validateCustomHeaders)(args.value).join('; ');
    }
};
exports.ValidCustomHeaders = ValidCustomHeaders;
exports.ValidCustomHeaders = ValidCustomHeaders = __decorate([
    (0, class_validator_1.ValidatorConstraint)({ name: 'customHeaders' })
], ValidCustomHeaders);
/** A user-supplied signing secret in the whsec_ format. */
let ValidSecret = class ValidSecret {
    validate(value) {
        return value == null || (typeof value === 'string' && (0, signing_1.validateSecret)(value).length === 0);
    }
    defaultMessage(args) {
        return typeof args.value === 'string' ? (0, signing_1.validateSecret)(args.value).join('; ') : 'must be a string';
    }
};
exports.ValidSecret = ValidSecret;
exports.ValidSecret = ValidSecret = __decorate([
    (0, class_validator_1.ValidatorConstraint)({ name: 'webhookSecret' })
], ValidSecret);
/** A type producers may publish: a catalog type (sub-events are for subscriptions only). */
let PublishableEventType = class PublishableEventType {
    validate(value) {
        return typeof value === 'string' && (0, event_types_1.findEventType)(value) !== undefined;
    }
    defaultMessage(args) {
        return `unknown event type ${JSON.stringify(args.value)} (see the eventTypes query)`;
    }
};
exports.PublishableEventType = PublishableEventType;
exports.PublishableEventType = PublishableEventType = __decorate([
    (0, class_validator_1.ValidatorConstraint)({ name: 'publishableEventType' })
], PublishableEventType);
/**
 * An absolute http(s) URL as WHATWG parses it (so numeric hosts such as http://2130706433/ parse and
 * then meet the SSRF guard, which says why they are refused). No credentials in the URL.
 */
let HttpUrl = class HttpUrl {
    validate(value) {
        if (typeof value !== 'string')
            return false;
        try {
            const u = new URL(value);
            return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !u.username && !u.password;
        }
        catch {
            return false;
        }
    }
    defaultMessage() {
        return 'must be an http or https URL';
    }
};
exports.HttpUrl = HttpUrl;
exports.HttpUrl = HttpUrl = __decorate([
    (0, class_validator_1.ValidatorConstraint)({ name: 'httpUrl' })
], HttpUrl);
