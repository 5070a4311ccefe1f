import { validateOrReject, type ValidationError, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

/** What type-graphql would pass class-validator with our settings (it skips missing properties unless told not to). */
const OPTIONS: ValidatorOptions = { forbidUnknownValues: false, stopAtFirstError: false, skipMissingProperties: true };

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';

/**
 * Validates a resolver argument with class-validator exactly as type-graphql's built-in validation
 * does (objects and arrays of objects; the failure is its ArgumentValidationError), with
 * class-validator imported once: the built-in one `require()`s it on every argument, and Node 20
 * resolves that request anew each time (package.json reads and path resolution: ~2.6 % of the API
 * thread's CPU while publishing).
 */
export async function validateArgument(value: unknown): Promise<void> {
  if (!isObject(value)) return;
  try {
    if (Array.isArray(value)) await Promise.all(value.filter(isObject).map((v) => validateOrReject(v, OPTIONS)));
    else await validateOrReject(value, OPTIONS);
  } catch (err) {
    throw new ArgumentValidationError(err as ValidationError[]);
  }
}

/** For an argument its resolver validates itself. */
export async function noValidation(): Promise<void> {}
