/**
 * Issue #13 item 9: huge sizes give the op's own error (naming the op and its arguments), never a bare
 * 'Invalid typed array length' RangeError, and never a silent multi-GiB allocation (`tile` of 2^31 reps
 * used to allocate 16 GiB). `allocate` refuses any size a tensor cannot have, as a backstop.
 */
import * as rc from '../../src';
import { allocate } from '../../src/dtype';

const HUGE: Array<[string, () => unknown, RegExp]> = [
  [
    'tile',
    () => rc.tile(rc.tensor([1, 2]), [2 ** 31]),
    /^tile \(x \[2\], reps \[2147483648\]\): shape \[4294967296\] has 4294967296 elements, over the limit of 2\^31/,
  ],
  [
    'tile (2-D)',
    () => rc.tile(rc.zeros([1000, 1000]), [100000, 1]),
    /^tile \(x \[1000,1000\], reps \[100000,1\]\).*over the limit of 2\^31/,
  ],
  [
    'oneHot',
    () => rc.oneHot(rc.tensor([1, 2], [2], 'int32'), 2 ** 31),
    /^oneHot \(indices \[2\], depth 2147483648\).*over the limit of 2\^31/,
  ],
  ['range', () => rc.range(0, 1e12), /^range: start 0, stop 1000000000000, step 1 give 1000000000000 values, over the limit of 2\^31/],
  ['range (just over)', () => rc.range(0, 2 ** 31), /^range: .* give 2147483648 values/],
  ['range (Infinity)', () => rc.range(0, Infinity), /^range: start, stop and step must be finite numbers/],
  ['range (NaN step)', () => rc.range(0, 3, NaN), /^range: start, stop and step must be finite numbers/],
  ['linspace', () => rc.linspace(0, 1, 1e10), /^linspace: num 10000000000 is over the limit of 2\^31/],
  ['pad', () => rc.pad(rc.zeros([2]), [[0, 1e10]]), /^pad \(x \[2\], paddings \[\[0,10000000000\]\]\).*over the limit of 2\^31/],
  ['zeros', () => rc.zeros([1e6, 1e6]), /^fill: shape \[1000000,1000000\] has 1000000000000 elements, over the limit of 2\^31/],
  ['ones', () => rc.ones([2 ** 33]), /over the limit of 2\^31/],
  ['randomUniform', () => rc.randomUniform([1e6, 1e6]), /^randomUniform: .*over the limit of 2\^31/],
  ['randomNormal', () => rc.randomNormal([1e6, 1e6]), /^randomNormal: .*over the limit of 2\^31/],
  ['broadcastTo', () => rc.broadcastTo(rc.zeros([1]), [1e6, 1e6]), /^broadcastTo: .*over the limit of 2\^31/],
  ['reshape', () => rc.reshape(rc.zeros([2]), [1e10]), /^reshape: cannot reshape a tensor of shape \[2\]/],
  ['allocate', () => allocate('float32', 2 ** 31), /^allocate: cannot allocate 2147483648 float32 elements/],
  ['allocate (fraction)', () => allocate('int32', 1.5), /^allocate: cannot allocate 1.5 int32 elements/],
];

describe('huge sizes are refused by the op, by name', () => {
  for (const [name, f, re] of HUGE) {
    it(name, () => {
      let err: unknown = null;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(rc.ValueError); // the library's own error, not a RangeError/TypeError
      expect((err as Error).message).toMatch(re);
    });
  }

  it('sizes just inside the limits still work', () => {
    expect(rc.tile(rc.tensor([1, 2]), [3]).shape).toEqual([6]);
    expect(rc.oneHot(rc.tensor([0, 2], [2], 'int32'), 3).shape).toEqual([2, 3]);
    expect(rc.range(0, 5).shape).toEqual([5]);
    expect(rc.pad(rc.zeros([2]), [[1, 1]]).shape).toEqual([4]);
  });
});
