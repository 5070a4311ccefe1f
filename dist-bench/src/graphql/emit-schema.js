"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.schemaSdl = schemaSdl;
require("reflect-metadata");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const graphql_1 = require("graphql");
const schema_1 = require("./schema");
/** The SDL checked in as schema.graphql; a test fails when the code and the file disagree. */
async function schemaSdl() {
    return `${(0, graphql_1.printSchema)(await (0, schema_1.buildHooklineSchema)())}\n`;
}
if (require.main === module) {
    schemaSdl().then((sdl) => {
        const file = node_path_1.default.resolve(__dirname, '../../schema.graphql');
        node_fs_1.default.writeFileSync(file, sdl);
        console.log(`wrote ${file}`);
    });
}
