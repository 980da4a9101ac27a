/**
 * Error context for the steps of a larger operation: the step's own error is rethrown (its type, stack and fields
 * kept) with the operation's context in front of its message.
 *
 * ```ts
 * withErrorPrefix('compile: ', () => getLoss(id)); // compile: getLoss: unknown loss 'mse2'; ...
 * ```
 */

/** `f()`, with `prefix` (or, built only on failure, `prefix()`) put in front of the message of whatever it throws. */
export function withErrorPrefix<T>(prefix: string | (() => string), f: () => T): T {
  try {
    return f();
  } catch (e) {
    (e as Error).message = (typeof prefix === 'string' ? prefix : prefix()) + (e as Error).message;
    throw e;
  }
}
