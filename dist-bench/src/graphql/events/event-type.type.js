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
exports.EventType = void 0;
const type_graphql_1 = require("type-graphql");
const graphql_scalars_1 = require("graphql-scalars");
let EventType = class EventType {
    name;
    description;
    examplePayload;
    defaultDelaySeconds;
};
exports.EventType = EventType;
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], EventType.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], EventType.prototype, "description", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => graphql_scalars_1.GraphQLJSONObject),
    __metadata("design:type", Object)
], EventType.prototype, "examplePayload", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { description: 'Delay before the first attempt unless the event overrides it (call.completed: 15 s).' }),
    __metadata("design:type", Number)
], EventType.prototype, "defaultDelaySeconds", void 0);
exports.EventType = EventType = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'An entry of the event catalog.' })
], EventType);
