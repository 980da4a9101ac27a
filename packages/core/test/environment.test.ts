/**
 * env() / ENV, as tfjs's: platform flags read as tfjs-examples do (`env().get('IS_BROWSER')`), compared with tfjs's
 * own values in the same process, overridable with set, unknown flags refused by name.
 */
import * as tf from '@tensorflow/tfjs';
import { env, ENV } from '@recurrent/core';

afterEach(() => env().reset());

test('the platform flags have the values tfjs gives them here (Node, not a browser)', () => {
  for (const flag of ['IS_BROWSER', 'IS_NODE', 'IS_TEST']) {
    expect([flag, env().get(flag)]).toEqual([flag, tf.env().get(flag)]);
  }
  expect(env().getBool('IS_NODE')).toBe(true);
  expect(ENV).toBe(env());
});

test('set overrides a flag until reset; getFlags lists what was read or set', () => {
  env().set('IS_BROWSER', true);
  expect(env().get('IS_BROWSER')).toBe(true);
  expect(env().getFlags()).toEqual({ IS_BROWSER: true });
  env().reset();
  expect(env().get('IS_BROWSER')).toBe(false);
});

test('unknown flags and wrong value types are refused, naming the flag', () => {
  expect(() => env().get('WEBGL_VERSION')).toThrow("env().get: unknown flag 'WEBGL_VERSION'; the flags are IS_BROWSER, IS_NODE, IS_TEST.");
  expect(() => env().set('DEBUG', true)).toThrow("env().set: unknown flag 'DEBUG'");
  expect(() => env().set('IS_NODE', 1)).toThrow("env().set: flag 'IS_NODE' takes a boolean, received number 1.");
  expect(() => env().get('toString')).toThrow("unknown flag 'toString'");
});
