/** print (as tfjs's text) and time (the shape of its result, what it measures: that f ran). */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../src';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('print', () => {
  it('logs the same text as tfjs, plain and verbose', () => {
    const logs: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((s: string) => void logs.push(s));
    try {
      tf.print(tf.tensor([1, 2.5, 3, 4], [2, 2]));
      tfjs.print(tfjs.tensor([1, 2.5, 3, 4], [2, 2]));
      tf.print(tf.tensor([1, 2], [2], 'int32'), true);
      tfjs.print(tfjs.tensor1d([1, 2], 'int32'), true);
    } finally {
      spy.mockRestore();
    }
    expect(logs[0]).toBe(logs[1]);
    expect(logs[2]).toBe(logs[3]);
  });
});

describe('time', () => {
  it('runs f once and resolves with kernelMs = wallMs ≥ 0 (the keys tfjs gives)', async () => {
    let calls = 0;
    const info = await tf.time(() => {
      calls++;
      tf.matMul(tf.ones([8, 8]), tf.ones([8, 8]));
    });
    expect(calls).toBe(1);
    const theirs = await tfjs.time(() => tfjs.add(1, 2));
    expect(Object.keys(info).sort()).toEqual(Object.keys(theirs).sort());
    expect(info.wallMs).toBeGreaterThanOrEqual(0);
    expect(info.kernelMs).toBe(info.wallMs);
  });
  it('rejects when f throws', async () => {
    await expect(
      tf.time(() => {
        tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]));
      }),
    ).rejects.toThrow(/matMul/);
  });
  it("rejects a non-function f with a ValueError naming time (was a TypeError 'f is not a function')", async () => {
    await expect(tf.time(3 as never)).rejects.toThrow(tf.ValueError);
    await expect(tf.time(3 as never)).rejects.toThrow(/time: argument 'f' must be a function, received number/);
  });
});
