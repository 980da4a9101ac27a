/** `mirrorPad(x, paddings, mode)`: padding by reflection (tfjs's mirrorPad), with its backward. */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { computeStrides, formatShape, sizeFromShape } from '../shape';
import { ValueError } from '../errors';

/** For every element of the padded output, the flat index of the input element it copies. */
function mirrorIndexMap(shape: number[], paddings: Array<[number, number]>, symmetric: boolean): { outShape: number[]; src: Int32Array } {
  const outShape = shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const inStrides = computeStrides(shape);
  const src = new Int32Array(sizeFromShape(outShape));
  // Per axis, the input coordinate of each output coordinate.
  const axisMaps = shape.map((d, axis) =>
    Array.from({ length: outShape[axis] }, (_, o) => {
      const i = o - paddings[axis][0];
      if (i < 0) return symmetric ? -i - 1 : -i;
      if (i >= d) return symmetric ? 2 * d - 1 - i : 2 * (d - 1) - i;
      return i;
    }),
  );
  const coord = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < src.length; k++) {
    let flat = 0;
    for (let a = 0; a < shape.length; a++) flat += axisMaps[a][coord[a]] * inStrides[a];
    src[k] = flat;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++coord[a] < outShape[a]) break;
      coord[a] = 0;
    }
  }
  return { outShape, src };
}

/**
 * Pads `x` by mirroring it at its edges: `'reflect'` leaves the edge out (`[1, 2, 3]` padded by 2 → `[3, 2, 1, 2, 3,
 * 2, 1]`), `'symmetric'` repeats it (`[2, 1, 1, 2, 3, 3, 2]`). `paddings` has one `[before, after]` pair per dimension,
 * each at most size − 1 (reflect) or size (symmetric).
 *
 * tfjs note: tfjs's gradient takes only the centre of dy (the mirrored copies' gradients are dropped); ours adds
 * every copy's gradient to the element it copies, the derivative of the op.
 *
 * ```js
 * mirrorPad(tensor1d([1, 2, 3]), [[2, 2]], 'reflect');   // [3, 2, 1, 2, 3, 2, 1]
 * ```
 */
export function mirrorPad(x: TensorLike, paddings: Array<[number, number]>, mode: 'reflect' | 'symmetric'): Tensor {
  const t = convertToTensor(x, 'x', 'mirrorPad');
  if (mode !== 'reflect' && mode !== 'symmetric') {
    throw new ValueError(`mirrorPad: mode must be 'reflect' or 'symmetric', received ${JSON.stringify(mode)}.`);
  }
  if (!Array.isArray(paddings) || paddings.length !== t.rank) {
    throw new ValueError(
      `mirrorPad: paddings must have one [before, after] pair per dimension of x (shape ${formatShape(t.shape)}), received ${JSON.stringify(paddings)}.`,
    );
  }
  const symmetric = mode === 'symmetric';
  paddings.forEach((p, i) => {
    const most = symmetric ? t.shape[i] : t.shape[i] - 1;
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0 && v <= most)) {
      throw new ValueError(
        `mirrorPad: paddings[${i}] must be two integers in [0, ${most}] for mode '${mode}' and x ${formatShape(t.shape)}, received ${JSON.stringify(p)}.`,
      );
    }
  });
  const { outShape, src } = mirrorIndexMap(t.shape, paddings, symmetric);
  const out = allocate(t.dtype, src.length);
  for (let k = 0; k < src.length; k++) out[k] = t.values[src[k]];
  const y = makeTensor(out, outShape, t.dtype);
  record('mirrorPad', [t], [y], ([dy]) => {
    const dx = new Float32Array(t.size);
    for (let k = 0; k < src.length; k++) dx[src[k]] += dy.values[k];
    return [makeTensor(dx, t.shape.slice(), 'float32')];
  });
  return y;
}
