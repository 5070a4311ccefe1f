"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLogger = createLogger;
const pino_1 = __importDefault(require("pino"));
/** Structured JSON logs. Secrets and credentials are redacted wherever they could appear. */
function createLogger(level, destination) {
    const options = {
        level,
        base: { service: 'hookline' },
        redact: {
            paths: [
                'authorization',
                '*.authorization',
                'headers.authorization',
                '*.headers.authorization',
                '*.*.headers.authorization',
                '*.connectionParams.authorization',
                'secret',
                '*.secret',
                '*.*.secret',
                'token',
                '*.token',
                '*.password',
                'headers["webhook-signature"]',
                'headers["x-hookline-signature"]',
                '*.headers["webhook-signature"]',
                '*.headers["x-hookline-signature"]',
            ],
            censor: '[redacted]',
        },
    };
    return destination ? (0, pino_1.default)(options, destination) : (0, pino_1.default)(options);
}
