"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EventTypeResolver = void 0;
const type_graphql_1 = require("type-graphql");
const event_types_1 = require("../../domain/event-types");
const event_type_type_1 = require("./event-type.type");
let EventTypeResolver = class EventTypeResolver {
    eventTypes() {
        return event_types_1.EVENT_TYPES;
    }
};
exports.EventTypeResolver = EventTypeResolver;
__decorate([
    (0, type_graphql_1.Query)(() => [event_type_type_1.EventType], { description: 'The event catalog. Subscriptions may also name a sub-event: <type>.<disposition>.' }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", void 0)
], EventTypeResolver.prototype, "eventTypes", null);
exports.EventTypeResolver = EventTypeResolver = __decorate([
    (0, type_graphql_1.Resolver)()
], EventTypeResolver);
