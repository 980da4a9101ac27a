/**
 * `nextFrame()`, as tfjs's `tf.nextFrame`: a promise that resolves on the next animation frame where the
 * environment has `requestAnimationFrame` (browsers), otherwise on the next macrotask (`setImmediate` in Node,
 * `setTimeout(0)` elsewhere). A training loop awaits it to let the page redraw between steps.
 *
 * ```js
 * for (let i = 0; i < iterations; ++i) {
 *   await model.fit(xs, ys, { epochs: 1 });
 *   showProgress(i);
 *   await nextFrame();
 * }
 * ```
 */
export function nextFrame(): Promise<void> {
  const g = globalThis as {
    requestAnimationFrame?: (f: () => void) => unknown;
    setImmediate?: (f: () => void) => unknown;
  };
  return new Promise((resolve) => {
    if (typeof g.requestAnimationFrame === 'function') g.requestAnimationFrame(() => resolve());
    else if (typeof g.setImmediate === 'function') g.setImmediate(() => resolve());
    else setTimeout(resolve, 0);
  });
}
