/** tfjs's legacy LSTM ops: `basicLSTMCell` (one step, gate order i, j, f, o) and `multiRNNCell` (a stack of them). */
import { Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { ValueError } from '../errors';
import { add, mul } from './arithmetic';
import { sigmoid, tanh } from './activations';
import { matMul } from './mat_mul';
import { concat, slice } from './slice_concat';

/** One step of an LSTM: `(data [batch, inputDim], c [batch, units], h [batch, units]) → [newC, newH]`. */
export type LSTMCellFunc = (data: Tensor, c: Tensor, h: Tensor) => [Tensor, Tensor];

/**
 * One LSTM step as tfjs's `basicLSTMCell`: `concat([data, h], 1) · lstmKernel + lstmBias` split into the gates
 * i, j, f, o (`lstmKernel` `[inputDim + units, 4·units]`, `lstmBias` `[4·units]`), then
 * `newC = c·σ(f + forgetBias) + σ(i)·tanh(j)` and `newH = tanh(newC)·σ(o)`. Returns `[newC, newH]`, each `[batch, units]`.
 *
 * tfjs note: this gate order (input, candidate j, forget, output) is TensorFlow's BasicLSTMCell's, not the i, f, c, o
 * of the LSTM layer's kernel; weights from one do not fit the other without reordering.
 *
 * ```js
 * const [c1, h1] = basicLSTMCell(1.0, kernel, bias, xBatch, c0, h0);
 * ```
 */
export function basicLSTMCell(
  forgetBias: number | Tensor,
  lstmKernel: TensorLike,
  lstmBias: TensorLike,
  data: TensorLike,
  c: TensorLike,
  h: TensorLike,
): [Tensor, Tensor] {
  const where = 'basicLSTMCell';
  const [k, b, x, c0, h0] = (
    [
      [lstmKernel, 'lstmKernel'],
      [lstmBias, 'lstmBias'],
      [data, 'data'],
      [c, 'c'],
      [h, 'h'],
    ] as const
  ).map(([t, name]) => convertToTensor(t, name, where));
  const fb = convertToTensor(forgetBias, 'forgetBias', where);
  if (x.rank !== 2 || h0.rank !== 2 || c0.rank !== 2 || h0.shape[0] !== x.shape[0] || !shapesMatch(c0, h0)) {
    throw new ValueError(
      `${where}: data must be [batch, inputDim] and c, h [batch, units], received data ${formatShape(x.shape)}, c ${formatShape(c0.shape)}, h ${formatShape(h0.shape)}.`,
    );
  }
  const units = h0.shape[1];
  const rows = x.shape[1] + units;
  if (k.rank !== 2 || k.shape[0] !== rows || k.shape[1] !== 4 * units) {
    throw new ValueError(
      `${where}: lstmKernel must be [inputDim + units, 4 * units] = [${rows},${4 * units}], received ${formatShape(k.shape)}.`,
    );
  }
  if (b.rank !== 1 || b.shape[0] !== 4 * units) {
    throw new ValueError(`${where}: lstmBias must be [4 * units] = [${4 * units}], received ${formatShape(b.shape)}.`);
  }
  const res = add(matMul(concat([x, h0], 1), k), b);
  const batch = x.shape[0];
  const gate = (n: number): Tensor => slice(res, [0, n * units], [batch, units]);
  const [i, j, f, o] = [gate(0), gate(1), gate(2), gate(3)];
  const newC = add(mul(sigmoid(i), tanh(j)), mul(c0, sigmoid(add(fb, f))));
  const newH = mul(tanh(newC), sigmoid(o));
  return [newC, newH];
}

function shapesMatch(a: Tensor, b: Tensor): boolean {
  return a.shape[0] === b.shape[0] && a.shape[1] === b.shape[1];
}

/**
 * Runs a stack of LSTM cells for one step, as tfjs's `multiRNNCell`: cell `l` reads the previous cell's new h (the
 * first reads `data`) with its own state `c[l]`, `h[l]`. Returns `[newCs, newHs]`, one per cell.
 *
 * ```js
 * const cells = [(x, c, h) => basicLSTMCell(1, k1, b1, x, c, h), (x, c, h) => basicLSTMCell(1, k2, b2, x, c, h)];
 * const [cs, hs] = multiRNNCell(cells, xBatch, [c1, c2], [h1, h2]);
 * ```
 */
export function multiRNNCell(lstmCells: LSTMCellFunc[], data: TensorLike, c: TensorLike[], h: TensorLike[]): [Tensor[], Tensor[]] {
  const where = 'multiRNNCell';
  if (!Array.isArray(lstmCells) || lstmCells.length === 0 || !lstmCells.every((f) => typeof f === 'function')) {
    throw new ValueError(
      `${where}: lstmCells must be a non-empty list of functions (data, c, h) => [c, h], received ${String(lstmCells)}.`,
    );
  }
  const n = lstmCells.length;
  if (!Array.isArray(c) || !Array.isArray(h) || c.length !== n || h.length !== n) {
    throw new ValueError(
      `${where}: c and h must be lists of ${n} tensors (one per cell), received ${Array.isArray(c) ? c.length : typeof c} and ${Array.isArray(h) ? h.length : typeof h}.`,
    );
  }
  let input = convertToTensor(data, 'data', where);
  const newCs: Tensor[] = [];
  const newHs: Tensor[] = [];
  lstmCells.forEach((cell, l) => {
    const [nc, nh] = cell(input, convertToTensor(c[l], `c[${l}]`, where), convertToTensor(h[l], `h[${l}]`, where));
    newCs.push(nc);
    newHs.push(nh);
    input = nh;
  });
  return [newCs, newHs];
}
