/** slice with deepbox/lucid per-axis [start, end] ranges (negative indices, null ends) beside tfjs's (begin, size); flip. */
import { grad, range, reshape, slice, sum, tensor } from '@recurrent/core';

const x = reshape(range(0, 24), [2, 3, 4]); // x[i, j, k] = 12i + 4j + k

test('ranges with negative indices and null ends equal the (begin, size) form', () => {
  expect(
    x
      .slice([
        [-1, null],
        [0, null],
        [0, null],
      ])
      .arraySync(),
  ).toEqual(x.slice([1, 0, 0], [1, 3, 4]).arraySync());
  expect(
    x
      .slice([
        [0, 1],
        [1, -1],
      ])
      .arraySync(),
  ).toEqual([[[4, 5, 6, 7]]]);
  expect(x.slice([null, [-2], [1, 3]]).arraySync()).toEqual([
    [
      [5, 6],
      [9, 10],
    ],
    [
      [17, 18],
      [21, 22],
    ],
  ]);
  expect(
    x.slice([
      [null, null],
      [2, 100],
      [-100, 1],
    ]).shape,
  ).toEqual([2, 1, 1]);
  expect(x.slice([[1, 0]]).shape).toEqual([0, 3, 4]); // empty, as Python
});

test('the tfjs form is unchanged, and ranges are differentiable', () => {
  expect(
    slice(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      [0, 1],
      [2, 2],
    ).arraySync(),
  ).toEqual([
    [2, 3],
    [5, 6],
  ]);
  const g = grad((t) =>
    sum(
      t.slice([
        [-1, null],
        [1, 2],
      ]),
    ),
  )(reshape(range(0, 6), [2, 3]));
  expect(g.arraySync()).toEqual([
    [0, 0, 0],
    [0, 1, 0],
  ]);
});

test('flip is reverse', () => {
  expect(
    tensor([
      [1, 2],
      [3, 4],
    ])
      .flip([1])
      .arraySync(),
  ).toEqual([
    [2, 1],
    [4, 3],
  ]);
  expect(x.flip([0, 2]).arraySync()).toEqual(x.reverse([0, 2]).arraySync());
});

test('bad ranges', () => {
  expect(() =>
    x.slice([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ]),
  ).toThrow('slice: 4 ranges for x with shape [2,3,4] (rank 3).');
  expect(() => x.slice([[0, 1, 2] as never])).toThrow(/slice: range 0 must be \[start, end\], \[start\] or null, received \[0,1,2\]/);
  expect(() => x.slice([[0.5, 1]])).toThrow(/range 0 must hold integers or null/);
  expect(() => x.slice([[0, 1]], [1])).toThrow(/with per-axis \[start, end\] ranges, size must be omitted/);
});
