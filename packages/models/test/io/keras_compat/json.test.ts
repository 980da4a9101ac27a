/** The JSON value type's narrowing helpers used by the Keras compatibility passes. */
import { asArray, asObject, asString, isObject, isPositiveInt } from '../../../src/io/keras_compat/json';

describe('keras_compat json helpers', () => {
  it('isObject / asObject accept plain objects only', () => {
    expect([{}, { a: 1 }, [], null, 'x', 3, undefined].map(isObject)).toEqual([true, true, false, false, false, false, false]);
    const o = { a: 1 };
    expect(asObject(o)).toBe(o);
    expect(asObject([o])).toBeUndefined();
  });

  it('asString / asArray return the value of their type, else undefined', () => {
    expect(asString('lstm')).toBe('lstm');
    expect(asString(3)).toBeUndefined();
    const a = [1, 'x'];
    expect(asArray(a)).toBe(a);
    expect(asArray({ 0: 1 })).toBeUndefined();
  });

  it('isPositiveInt accepts integers > 0 only', () => {
    expect([1, 64, 0, -2, 1.5, NaN, Infinity, '3', null].map(isPositiveInt)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
