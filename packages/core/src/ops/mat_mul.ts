/** Matrix multiply, plain and batched, with transposes and broadcasting of batch dimensions. */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { assertValidShape, broadcastShapes, formatShape, sizeFromShape } from '../shape';
import { gemm } from './gemm';
import { broadcastIndexMap, sumToShape, toFloat32 } from './op_utils';
import { reshape } from './reshape';
import { ValueError } from '../errors';

/**
 * a · b for rank ≥ 2 tensors: `[..., M, K] · [..., K, N] → [..., M, N]`; leading (batch)
 * dimensions broadcast (numpy rules). `transposeA`/`transposeB` transpose the last two axes first.
 */
export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  const x = convertToTensor(a, 'a', 'matMul');
  const y = convertToTensor(b, 'b', 'matMul');
  if (x.rank < 2 || y.rank < 2) {
    throw new ValueError(`matMul: both inputs must have rank >= 2, received shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}.`);
  }
  if (x.dtype !== y.dtype) {
    throw new ValueError(`matMul: the dtypes of the first (${x.dtype}) and second (${y.dtype}) input must match.`);
  }
  const [xr, xc] = x.shape.slice(-2);
  const [yr, yc] = y.shape.slice(-2);
  const M = transposeA ? xc : xr;
  const K = transposeA ? xr : xc;
  const K2 = transposeB ? yc : yr;
  const N = transposeB ? yr : yc;
  if (K !== K2) {
    throw new ValueError(
      `matMul: inner dimensions of shapes ${formatShape(x.shape)} and ${formatShape(y.shape)} must match ` +
        `(transposeA=${transposeA}, transposeB=${transposeB}): ${K} vs ${K2}.`,
    );
  }
  const xBatch = x.shape.slice(0, -2);
  const yBatch = y.shape.slice(0, -2);
  let batchShape: number[];
  try {
    batchShape = broadcastShapes('matMul', xBatch, yBatch);
  } catch {
    throw new ValueError(
      `matMul: batch dimensions of shapes ${formatShape(x.shape)} and ${formatShape(y.shape)} cannot be broadcast together.`,
    );
  }
  assertValidShape('matMul', [...batchShape, M, N]);
  const batch = sizeFromShape(batchShape);
  // Which matrix of each operand feeds output batch i (batch dimensions broadcast like numpy).
  const xMap = broadcastIndexMap(xBatch, batchShape);
  const yMap = broadcastIndexMap(yBatch, batchShape);
  const av = toFloat32(x.values);
  const bv = toFloat32(y.values);
  const out = new Float32Array(batch * M * N);
  if (batch > 1 && !transposeA && sizeFromShape(yBatch) === 1 && sizeFromShape(xBatch) === batch) {
    // One B for every batch: [batch, M, K] is [batch·M, K] row-major, so one gemm (B copied to the
    // backend and packed once) replaces `batch` small ones.
    gemm(av, 0, false, bv, 0, transposeB, out, 0, batch * M, N, K);
  } else {
    for (let i = 0; i < batch; i++) {
      gemm(av, xMap[i] * M * K, transposeA, bv, yMap[i] * K * N, transposeB, out, i * M * N, M, N, K);
    }
  }
  let result = makeTensor(out, [...batchShape, M, N], 'float32');
  if (x.dtype === 'int32') result = makeTensor(Int32Array.from(out), result.shape, 'int32');
  record('matMul', [x, y], [result], ([dy]) => {
    let da: Tensor;
    let db: Tensor;
    if (!transposeA && !transposeB) {
      da = matMul(dy, y, false, true);
      db = matMul(x, dy, true, false);
    } else if (transposeA && !transposeB) {
      da = matMul(y, dy, false, true);
      db = matMul(x, dy, false, false);
    } else if (!transposeA && transposeB) {
      da = matMul(dy, y, false, false);
      db = matMul(dy, x, true, false);
    } else {
      da = matMul(y, dy, true, true);
      db = matMul(dy, x, true, true);
    }
    return [reduceBatch(da, x.shape), reduceBatch(db, y.shape)];
  });
  return result;
}

/** Sums a gradient over batch dimensions that were broadcast, back to `shape`. */
function reduceBatch(g: Tensor, shape: number[]): Tensor {
  if (g.size === sizeFromShape(shape)) return reshape(g, shape);
  return sumToShape(g, shape);
}

/**
 * Dot product of two rank-1 or rank-2 tensors (as tfjs's `dot`): vector·vector is a scalar,
 * matrix·vector and vector·matrix are vectors, matrix·matrix is `matMul`.
 */
export function dot(t1: TensorLike, t2: TensorLike): Tensor {
  const x = convertToTensor(t1, 't1', 'dot');
  const y = convertToTensor(t2, 't2', 'dot');
  if (x.rank < 1 || x.rank > 2 || y.rank < 1 || y.rank > 2) {
    throw new ValueError(`dot: inputs must be rank 1 or 2, received shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}.`);
  }
  const k1 = x.shape[x.rank - 1];
  const k2 = y.shape[0];
  if (k1 !== k2) {
    throw new ValueError(`dot: inner dimensions of shapes ${formatShape(x.shape)} and ${formatShape(y.shape)} must match: ${k1} vs ${k2}.`);
  }
  const a = x.rank === 1 ? reshape(x, [1, k1]) : x;
  const b = y.rank === 1 ? reshape(y, [k2, 1]) : y;
  const out = matMul(a, b);
  if (x.rank === 1 && y.rank === 1) return reshape(out, []);
  if (x.rank === 1) return reshape(out, [y.shape[1]]);
  if (y.rank === 1) return reshape(out, [x.shape[0]]);
  return out;
}
