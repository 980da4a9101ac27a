/** `enableProdMode()` / `enableDebugMode()`: tfjs's global mode switches, and what they mean here. */
import { NotImplementedError } from '../errors';

/**
 * Does nothing, by design: tfjs's production mode turns off its per-op checks for speed, but ours are argument
 * checks that cost little and always run (the fast kernels are used in every mode), so there is nothing to turn off.
 *
 * ```js
 * enableProdMode();   // safe to keep from a tfjs program
 * ```
 */
export function enableProdMode(): void {
  // tfjs note: a no-op (see above); `env().get('PROD')` is not a flag here.
}

/**
 * tfjs's debug mode (log every kernel with its timing, check each output for NaN) is not implemented: this throws
 * NotImplementedError instead of silently doing nothing. Use `time(f)` for timing and `isNaN(x)` for checks.
 */
export function enableDebugMode(): never {
  throw new NotImplementedError(
    'enableDebugMode: a per-kernel debug log is not implemented; use time(f) to time a function and isNaN(x) to check values.',
  );
}
