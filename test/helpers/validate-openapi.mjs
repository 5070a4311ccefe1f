// Validates the OpenAPI document read from stdin with @seriousme/openapi-schema-validator (an ES
// module, which Jest's CommonJS runtime on Node 20 cannot load) and prints its verdict as JSON.
import { Validator } from '@seriousme/openapi-schema-validator';

let text = '';
for await (const chunk of process.stdin) text += chunk;
const validator = new Validator();
const result = await validator.validate(JSON.parse(text));
process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
