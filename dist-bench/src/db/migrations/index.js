"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATIONS = void 0;
const _1763900000000_initial_schema_1 = require("./1763900000000-initial-schema");
/** Every migration, oldest first (imported, not globbed, so ts and compiled js behave the same). */
exports.MIGRATIONS = [_1763900000000_initial_schema_1.InitialSchema1763900000000];
