/**
 * tfjs memory-management calls, kept for source compatibility. Tensors here live on the
 * JS heap and are garbage-collected, so these only mark or pass values through.
 */
import { Tensor } from './tensor';

/** Runs `fn` and returns its result (tfjs frees intermediates here; the GC does it for us). */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const f = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (!f) throw new Error('tidy: expected a function.');
  return f();
}

/** Marks tensors (or tensors nested in arrays/objects) disposed. */
export function dispose(container: unknown): void {
  if (container instanceof Tensor) container.dispose();
  else if (Array.isArray(container)) container.forEach(dispose);
  else if (container && typeof container === 'object') Object.values(container).forEach(dispose);
}

/** Returns `t` unchanged (tfjs keeps it alive past `tidy`). */
export function keep<T extends Tensor>(t: T): T {
  return t;
}
