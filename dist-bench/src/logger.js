"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLogger = createLogger;
const pino_1 = __importDefault(require("pino"));
/** Structured JSON logs. Secrets and credentials are redacted wherever they could appear. */
function createLogger(level) {
    return (0, pino_1.default)({
        level,
        base: { service: 'hookline' },
        redact: {
            paths: ['*.authorization', '*.Authorization', '*.secret', '*.token', 'headers["webhook-signature"]', 'headers["x-hookline-signature"]', '*.password'],
            censor: '[redacted]',
        },
    });
}
