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
exports.Me = exports.CreatedApiKey = exports.ApiKey = exports.Account = void 0;
const type_graphql_1 = require("type-graphql");
let Account = class Account {
    id;
    name;
    createdAt;
};
exports.Account = Account;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Account.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Account.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Account.prototype, "createdAt", void 0);
exports.Account = Account = __decorate([
    (0, type_graphql_1.ObjectType)()
], Account);
let ApiKey = class ApiKey {
    id;
    name;
    prefix;
    lastUsedAt;
    revokedAt;
    createdAt;
};
exports.ApiKey = ApiKey;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], ApiKey.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], ApiKey.prototype, "name", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'The first characters of the token, to recognise it.' }),
    __metadata("design:type", String)
], ApiKey.prototype, "prefix", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], ApiKey.prototype, "lastUsedAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], ApiKey.prototype, "revokedAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], ApiKey.prototype, "createdAt", void 0);
exports.ApiKey = ApiKey = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'An API key. The token itself is shown only once, by createApiKey.' })
], ApiKey);
let CreatedApiKey = class CreatedApiKey {
    apiKey;
    token;
};
exports.CreatedApiKey = CreatedApiKey;
__decorate([
    (0, type_graphql_1.Field)(() => ApiKey),
    __metadata("design:type", ApiKey)
], CreatedApiKey.prototype, "apiKey", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'hk_live_… Store it now: Hookline keeps only its hash.' }),
    __metadata("design:type", String)
], CreatedApiKey.prototype, "token", void 0);
exports.CreatedApiKey = CreatedApiKey = __decorate([
    (0, type_graphql_1.ObjectType)()
], CreatedApiKey);
let Me = class Me {
    account;
    apiKey;
};
exports.Me = Me;
__decorate([
    (0, type_graphql_1.Field)(() => Account),
    __metadata("design:type", Account)
], Me.prototype, "account", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => ApiKey),
    __metadata("design:type", ApiKey)
], Me.prototype, "apiKey", void 0);
exports.Me = Me = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'The caller: the account and the API key the request was made with.' })
], Me);
