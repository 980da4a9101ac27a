import * as tfjs from '@tensorflow/tfjs';
import { scalar, Tensor, tensor, tensor1d, tensor2d, tensor3d, tensor4d, add } from '../src';

describe('Tensor accessors', () => {
  const t = tensor([
    [1, 2],
    [3, 4],
  ]);

  it('shape, rank, size, dtype, strides', () => {
    expect(t.shape).toEqual([2, 2]);
    expect(t.rank).toBe(2);
    expect(t.size).toBe(4);
    expect(t.dtype).toBe('float32');
    expect(
      tensor3d([
        [[1], [2]],
        [[3], [4]],
      ]).strides,
    ).toEqual([2, 1, 1]);
  });

  it('dataSync gives the typed array of the dtype; data() resolves to the same', async () => {
    expect(t.dataSync()).toBeInstanceOf(Float32Array);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4]);
    expect(tensor([1], [1], 'int32').dataSync()).toBeInstanceOf(Int32Array);
    expect(tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
  });

  it('arraySync / array give nested arrays (a number for a scalar)', async () => {
    expect(t.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(await t.array()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(scalar(5).arraySync()).toBe(5);
    expect(tensor3d([[[1], [2]]]).arraySync()).toEqual([[[1], [2]]]);
  });

  it("item() gives a one-element tensor's value as a number (PyTorch's loss.item()); more elements are refused", () => {
    expect(scalar(2.5).item()).toBe(2.5);
    expect(tensor(Int32Array.from([-7]), [1, 1], 'int32').item()).toBe(-7);
    expect(tensor([true]).item()).toBe(1);
    expect(tensor2d([[0.1]]).item()).toBe(Math.fround(0.1));
    const t = tensor1d([1, 2]);
    expect(() => t.item()).toThrow(`item: only a tensor of one element converts to a number; tensor ${t.id} has shape [2] (2 elements).`);
  });

  it('clone has a new id and the same values, shape and dtype', () => {
    const c = t.clone();
    expect(c.id).not.toBe(t.id);
    expect(c.arraySync()).toEqual(t.arraySync());
    expect(c.dtype).toBe(t.dtype);
  });

  it('a disposed tensor cannot be used', () => {
    const d = tensor([1, 2]);
    d.dispose();
    expect(d.isDisposed).toBe(true);
    expect(() => d.dataSync()).toThrow(/is disposed/);
    expect(() => add(d, 1)).toThrow(/add: argument 'a' is a disposed tensor/);
  });
});

describe('toString / print (tfjs format)', () => {
  it('matches the tfjs layout for a 2x2 matrix', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('Tensor\n    [[1, 2],\n     [3, 4]]');
  });

  it('scalar, vector, rank 3, int32, verbose', () => {
    expect(scalar(3.5).toString()).toBe('Tensor\n    3.5');
    expect(tensor1d([1, 2, 3]).toString()).toBe('Tensor\n    [1, 2, 3]');
    expect(
      tensor([
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ]).toString(),
    ).toBe('Tensor\n    [[[1, 2],\n      [3, 4]],\n\n     [[5, 6],\n      [7, 8]]]');
    expect(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        undefined,
        'int32',
      ).toString(true),
    ).toBe('Tensor\n  dtype: int32\n  rank: 2\n  shape: [2,2]\n  values:\n    [[1, 2],\n     [3, 4]]');
  });

  it('agrees with @tensorflow/tfjs on equal-width values', async () => {
    await tfjs.setBackend('cpu');
    const cases: Array<[unknown, 'float32' | 'int32' | 'bool']> = [
      [
        [
          [1, 2],
          [3, 4],
        ],
        'float32',
      ],
      [
        [
          [1, 2],
          [3, 4],
        ],
        'int32',
      ],
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
        'float32',
      ],
      [
        [
          [0.5, 1.5],
          [2.5, 3.5],
        ],
        'float32',
      ],
      [3.5, 'float32'],
      [[7, 8, 9], 'float32'],
    ];
    for (const [v, dtype] of cases) {
      const ours = tensor(v as number[], undefined, dtype);
      const theirs = tfjs.tensor(v as number[], undefined, dtype);
      expect(ours.toString()).toBe(theirs.toString());
      expect(ours.toString(true)).toBe(theirs.toString(true));
    }
  });

  // Known differences from tfjs's formatter (tensor_format.ts): tfjs pads each column with trailing spaces for
  // rank >= 2 ('[3  , 4]') and does not pad rank-1 values; ours pads all values to one width on the left.
  it('pads mixed-width values exactly as tfjs prints them', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const tf = require('@tensorflow/tfjs');
    const cases: [number[], number[]][] = [
      [
        [1.5, 2, 3, 4],
        [2, 2],
      ],
      [[1.25, -10, 100.5], [3]],
      [
        [1, -2.5, 300, 4, 5, 6, 7, 8],
        [2, 2, 2],
      ],
      [[7], []],
    ];
    for (const [values, shape] of cases) {
      expect(tensor(values, shape).toString()).toBe(tf.tensor(values, shape).toString());
    }
  });

  it('print writes toString to console.log', () => {
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    tensor([
      [1, 2],
      [3, 4],
    ]).print();
    expect(spy).toHaveBeenCalledWith('Tensor\n    [[1, 2],\n     [3, 4]]');
    spy.mockRestore();
  });
});

describe('tensor() creation and bad input', () => {
  it('infers shape and dtype from nested arrays, typed arrays and booleans', () => {
    expect(tensor([[1, 2, 3]]).shape).toEqual([1, 3]);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor([1, 2, 3, 4], [2, 2]).arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor([1.9, -1.9], [2], 'int32').arraySync()).toEqual([1, -1]);
  });

  it('rejects ragged nested arrays, naming the position', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array: element at \[1\] has length 1, expected 2/);
    expect(() => tensor([[1, 2], 3] as unknown as number[])).toThrow(/tensor: ragged nested array: element at \[1\] is not an array/);
    expect(() => tensor([1, [2]] as unknown as number[])).toThrow(
      /tensor: ragged nested array: element at \[0\] is not an array|element at \[1\] is an array/,
    );
  });

  it('rejects a shape that does not match the number of values', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(
      /tensor: based on the provided shape \[2,2\], the tensor should have 4 values but has 3/,
    );
    expect(() =>
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [3, 1],
      ),
    ).toThrow(/tensor: the shape of the values \[2,2\] does not match the requested shape \[3,1\]/);
    expect(() => tensor([1, 2], [-1, 2])).toThrow(/tensor: shape \[-1,2\] has an invalid dimension -1/);
  });

  it('rejects non-numeric values', () => {
    expect(() => tensor(['a', 'b'] as unknown as number[])).toThrow(/tensor: values must be numbers or booleans, received string \(a\)/);
    expect(() => tensor('abc' as unknown as number[])).toThrow(/tensor: values must be a number, boolean, array or typed array/);
    expect(() => tensor([1, 2], undefined, 'float64' as never)).toThrow(/tensor: unknown dtype 'float64'/);
    expect(() => add({} as unknown as number, 1)).toThrow(/add: argument 'a'/);
  });

  it('rank-specific constructors check the rank', () => {
    expect(() => tensor1d([[1]] as unknown as number[])).toThrow(/tensor1d\(\) requires values of rank 1, received rank 2/);
    expect(() => tensor2d([1, 2])).toThrow(/tensor2d\(\) requires values of rank 2, received rank 1/);
    expect(tensor4d([1, 2, 3, 4], [1, 2, 2, 1]).shape).toEqual([1, 2, 2, 1]);
    expect(() => scalar('x' as unknown as number)).toThrow(/scalar: value must be a number or boolean, received string/);
  });

  it('a Tensor passed to tensor() is copied with an optional new dtype', () => {
    const src = tensor([1.5, 2.5]);
    const copy = tensor(src, undefined, 'int32');
    expect(copy).toBeInstanceOf(Tensor);
    expect(copy.arraySync()).toEqual([1, 2]);
  });
});
