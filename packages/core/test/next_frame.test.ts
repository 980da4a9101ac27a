/**
 * nextFrame (tfjs's `tf.nextFrame`): a promise that resolves on the next animation frame in browsers and on the
 * next macrotask elsewhere, so training loops such as tfjs-examples addition-rnn can `await nextFrame()` to let
 * the page redraw.
 */
import { nextFrame } from '@recurrent/core';

test('resolves after pending microtasks and the current macrotask (Node: setImmediate)', async () => {
  const order: string[] = [];
  const done = nextFrame().then(() => order.push('frame'));
  void Promise.resolve().then(() => order.push('microtask'));
  setImmediate(() => order.push('immediate queued after'));
  expect(order).toEqual([]);
  await done;
  expect(order).toEqual(['microtask', 'frame']);
});

test('uses requestAnimationFrame when the environment has it', async () => {
  const g = globalThis as { requestAnimationFrame?: (f: () => void) => number };
  const frames: Array<() => void> = [];
  g.requestAnimationFrame = (f) => frames.push(f);
  try {
    let resolved = false;
    const p = nextFrame().then(() => (resolved = true));
    await new Promise((r) => setImmediate(r));
    expect([frames.length, resolved]).toEqual([1, false]);
    frames[0]();
    await p;
    expect(resolved).toBe(true);
  } finally {
    delete g.requestAnimationFrame;
  }
});
