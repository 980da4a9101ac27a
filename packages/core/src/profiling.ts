/** tfjs's `print(x, verbose)` and `time(f)`. */
import { convertToTensor, TensorLike } from './convert';
import { ValueError } from './errors';

/** Prints a tensor's values to the console, as tfjs (`verbose` adds dtype and shape). `print(tensor1d([1, 2]))`. */
export function print(x: TensorLike, verbose = false): void {
  console.log(convertToTensor(x, 'x', 'print').toString(verbose));
}

/** What {@link time} measured, in milliseconds. */
export interface TimingInfo {
  /**
   * The time spent running `f`. Our kernels (JavaScript and WebAssembly) run synchronously on the calling thread
   * (threaded kernels wait for their workers), so this is f's whole run, kernels and the JavaScript around them.
   * tfjs note: on tfjs's GPU backends kernelMs is the device's time alone; here it equals wallMs.
   */
  kernelMs: number;
  /** Wall-clock time of `f` (performance.now()). */
  wallMs: number;
}

/** Runs `f` and resolves with how long it took: `const {wallMs} = await time(() => model.predict(x));`. */
export function time(f: () => void): Promise<TimingInfo> {
  if (typeof f !== 'function') return Promise.reject(new ValueError(`time: argument 'f' must be a function, received ${typeof f}.`));
  const clock = (): number => (typeof performance === 'object' ? performance.now() : Date.now());
  const t0 = clock();
  try {
    f();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const wallMs = clock() - t0;
  return Promise.resolve({ kernelMs: wallMs, wallMs });
}
