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
exports.AccountResolver = void 0;
const class_validator_1 = require("class-validator");
const type_graphql_1 = require("type-graphql");
const context_1 = require("../../context");
const account_type_1 = require("./account.type");
let CreateApiKeyArgs = class CreateApiKeyArgs {
    name;
};
__decorate([
    (0, type_graphql_1.Field)(),
    (0, class_validator_1.MinLength)(1, { message: 'is required' }),
    (0, class_validator_1.MaxLength)(255, { message: 'must be at most 255 characters' }),
    __metadata("design:type", String)
], CreateApiKeyArgs.prototype, "name", void 0);
CreateApiKeyArgs = __decorate([
    (0, type_graphql_1.ArgsType)()
], CreateApiKeyArgs);
let AccountResolver = class AccountResolver {
    me(ctx) {
        return (0, context_1.principalOf)(ctx);
    }
    accountSigningSecret(ctx) {
        return ctx.services.events.ensureAccountSecret(ctx.services.ds, (0, context_1.principalOf)(ctx).account.id);
    }
    apiKeys(ctx) {
        return ctx.services.apiKeys.list((0, context_1.principalOf)(ctx).account.id);
    }
    createApiKey({ name }, ctx) {
        return ctx.services.apiKeys.create((0, context_1.principalOf)(ctx).account.id, name);
    }
    revokeApiKey(id, ctx) {
        return ctx.services.apiKeys.revoke((0, context_1.principalOf)(ctx).account.id, id);
    }
};
exports.AccountResolver = AccountResolver;
__decorate([
    (0, type_graphql_1.Query)(() => account_type_1.Me),
    __param(0, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", account_type_1.Me)
], AccountResolver.prototype, "me", null);
__decorate([
    (0, type_graphql_1.Query)(() => String, {
        description: 'The whsec_ secret that signs deliveries to one-off targets (publishEvent webhookUrl); created on first use.',
    }),
    __param(0, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], AccountResolver.prototype, "accountSigningSecret", null);
__decorate([
    (0, type_graphql_1.Query)(() => [account_type_1.ApiKey]),
    __param(0, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], AccountResolver.prototype, "apiKeys", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => account_type_1.CreatedApiKey),
    __param(0, (0, type_graphql_1.Args)(() => CreateApiKeyArgs)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [CreateApiKeyArgs, Object]),
    __metadata("design:returntype", void 0)
], AccountResolver.prototype, "createApiKey", null);
__decorate([
    (0, type_graphql_1.Mutation)(() => account_type_1.ApiKey, { description: 'Revoked keys stop working at once; revoking twice is harmless.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", void 0)
], AccountResolver.prototype, "revokeApiKey", null);
exports.AccountResolver = AccountResolver = __decorate([
    (0, type_graphql_1.Resolver)()
], AccountResolver);
