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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EventResolver = void 0;
const class_validator_1 = require("class-validator");
const type_graphql_1 = require("type-graphql");
const context_1 = require("../../context");
const errors_1 = require("../../domain/errors");
const errors_2 = require("../errors");
const connection_1 = require("../common/connection");
const delivery_type_1 = require("../deliveries/delivery.type");
const event_type_1 = require("./event.type");
/** Events per publishEvents call at most. */
const MAX_BATCH = 500;
let EventResolver = class EventResolver {
    event(id, ctx) {
        return ctx.services.events.get((0, context_1.principalOf)(ctx).account.id, id);
    }
    async events(ctx, first, after, type, since) {
        return (0, connection_1.toConnection)(await ctx.services.events.list((0, context_1.principalOf)(ctx).account.id, { first, after, type, since }));
    }
    async publishEvent(input, ctx) {
        const [r] = await ctx.services.events.publish((0, context_1.principalOf)(ctx).account.id, [input], () => '');
        return r.event;
    }
    async publishEvents(inputs, ctx) {
        if (inputs.length < 1 || inputs.length > MAX_BATCH)
            throw (0, errors_1.badInput)({ inputs: [`must contain between 1 and ${MAX_BATCH} events`] });
        const errors = {};
        await Promise.all(inputs.map(async (input, i) => {
            for (const [field, msgs] of Object.entries((0, errors_2.fieldErrorsOf)(await (0, class_validator_1.validate)(input, { forbidUnknownValues: false }))))
                errors[`inputs.${i}.${field}`] = msgs;
        }));
        if (Object.keys(errors).length)
            throw (0, errors_1.badInput)(errors);
        return (await ctx.services.events.publish((0, context_1.principalOf)(ctx).account.id, inputs)).map((r) => r.event);
    }
    async deliveries(event, ctx) {
        const page = await ctx.services.deliveries.list((0, context_1.principalOf)(ctx).account.id, { eventId: event.id, first: 100 });
        return page.nodes;
    }
};
exports.EventResolver = EventResolver;
__decorate([
    (0, type_graphql_1.Query)(() => event_type_1.Event),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", void 0)
], EventResolver.prototype, "event", null);
__decorate([
    (0, type_graphql_1.Query)(() => event_type_1.EventConnection, { description: 'Events, oldest first.' }),
    __param(0, (0, type_graphql_1.Ctx)()),
    __param(1, (0, type_graphql_1.Arg)('first', () => type_graphql_1.Int, { nullable: true })),
    __param(2, (0, type_graphql_1.Arg)('after', () => String, { nullable: true })),
    __param(3, (0, type_graphql_1.Arg)('type', () => String, { nullable: true })),
    __param(4, (0, type_graphql_1.Arg)('since', () => Date, { nullable: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Number, String, String, Date]),
    __metadata("design:returntype", Promise)
], EventResolver.prototype, "events", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => event_type_1.Event, {
        description: 'Stores the event and its deliveries in one transaction; with a known idempotencyKey, returns the first event instead.',
    }),
    __param(0, (0, type_graphql_1.Arg)('input', () => event_type_1.PublishEventInput)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [event_type_1.PublishEventInput, Object]),
    __metadata("design:returntype", Promise)
], EventResolver.prototype, "publishEvent", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => [event_type_1.Event], { description: 'A batch in one transaction: one bad event and nothing is written. Field errors are keyed inputs.<index>.<field>.' }),
    __param(0, (0, type_graphql_1.Arg)('inputs', () => [event_type_1.PublishEventInput], { validate: false })),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Array, Object]),
    __metadata("design:returntype", Promise)
], EventResolver.prototype, "publishEvents", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [delivery_type_1.Delivery], { description: 'The deliveries of this event, one per matching webhook.' }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [event_type_1.Event, Object]),
    __metadata("design:returntype", Promise)
], EventResolver.prototype, "deliveries", null);
exports.EventResolver = EventResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => event_type_1.Event)
], EventResolver);
