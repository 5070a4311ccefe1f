"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.newId = void 0;
const uuid_1 = require("uuid");
/** A new time-ordered id (UUIDv7): inserts land at the right edge of the index and ids sort by time. */
const newId = () => (0, uuid_1.v7)();
exports.newId = newId;
