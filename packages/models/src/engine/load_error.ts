/**
 * loadLayersModel's errors: every failure is a `LoadError` whose message starts with 'loadLayersModel: '.
 */
import { LoadError } from '@recurrent/core';
import { messageOf } from './model_from_topology';

export const FN = 'loadLayersModel';

export /** Every failure of loadLayersModel is a LoadError (prefixed, the original as `cause`); a cause that is one passes its field path on. */
function loadError(message: string, cause?: unknown): LoadError {
  const err = new LoadError(
    message.startsWith(`${FN}: `) ? message : `${FN}: ${message}`,
    cause instanceof LoadError ? cause.fieldPath : '',
  );
  if (cause !== undefined) (err as Error & { cause?: unknown }).cause = cause;
  return err;
}

/** `f()`, with whatever it throws turned into a `loadError` of its message. */
export function loadStep<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw loadError(messageOf(e), e);
  }
}
