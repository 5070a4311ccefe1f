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
exports.PageInfo = void 0;
exports.ConnectionType = ConnectionType;
exports.toConnection = toConnection;
const type_graphql_1 = require("type-graphql");
const pagination_1 = require("../../domain/pagination");
let PageInfo = class PageInfo {
    hasNextPage;
    endCursor;
};
exports.PageInfo = PageInfo;
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Boolean)
], PageInfo.prototype, "hasNextPage", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], PageInfo.prototype, "endCursor", void 0);
exports.PageInfo = PageInfo = __decorate([
    (0, type_graphql_1.ObjectType)()
], PageInfo);
/** Builds a Relay connection type `<Name>Connection` with `<Name>Edge` for a node type. */
function ConnectionType(node, name) {
    let Edge = class Edge {
        cursor;
        node;
    };
    __decorate([
        (0, type_graphql_1.Field)(),
        __metadata("design:type", String)
    ], Edge.prototype, "cursor", void 0);
    __decorate([
        (0, type_graphql_1.Field)(() => node),
        __metadata("design:type", Object)
    ], Edge.prototype, "node", void 0);
    Edge = __decorate([
        (0, type_graphql_1.ObjectType)(`${name}Edge`)
    ], Edge);
    let Conn = class Conn {
        edges;
        pageInfo;
    };
    __decorate([
        (0, type_graphql_1.Field)(() => [Edge]),
        __metadata("design:type", Array)
    ], Conn.prototype, "edges", void 0);
    __decorate([
        (0, type_graphql_1.Field)(() => PageInfo),
        __metadata("design:type", PageInfo)
    ], Conn.prototype, "pageInfo", void 0);
    Conn = __decorate([
        (0, type_graphql_1.ObjectType)(`${name}Connection`)
    ], Conn);
    return Conn;
}
/** Maps a domain page of id-keyed rows to a Relay connection. */
function toConnection(page) {
    const edges = page.nodes.map((node) => ({ cursor: (0, pagination_1.encodeCursor)(node.id), node }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
