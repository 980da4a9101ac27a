/** additiveScores: Bahdanau attention scores Σ_d w_d·tanh(q_d + k_d) in one pass, without the [B, Tq, Tv, D] intermediate. */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { toFloat32 } from './op_utils';
import { ValueError } from '../errors';

/**
 * scores[b, i, j] = Σ_d w[d] · tanh(query[b, i, d] + key[b, j, d]) for query [batch, Tq, dim] and key
 * [batch, Tv, dim] → [batch, Tq, Tv] (w [dim], or all ones when null). Equal to
 * `sum(mul(w, tanh(add(expandDims(query, 2), expandDims(key, 1)))), -1)` but computed in one loop with no
 * [batch, Tq, Tv, dim] tensor; the gradient (w.r.t. query, key and w) recomputes the tanh.
 *
 * ```js
 * additiveScores(q, k, scale);   // [batch, Tq, Tv]
 * ```
 */
export function additiveScores(query: TensorLike, key: TensorLike, w: TensorLike | null = null): Tensor {
  const q = convertToTensor(query, 'query', 'additiveScores');
  const k = convertToTensor(key, 'key', 'additiveScores');
  const s = w === null ? null : convertToTensor(w, 'w', 'additiveScores');
  if (q.rank !== 3 || k.rank !== 3 || q.shape[0] !== k.shape[0] || q.shape[2] !== k.shape[2]) {
    throw new ValueError(
      `additiveScores: query [batch, Tq, dim] and key [batch, Tv, dim] must agree on batch and dim, received ${formatShape(q.shape)} and ${formatShape(k.shape)}.`,
    );
  }
  const [B, Tq, D] = q.shape;
  const Tv = k.shape[1];
  if (s !== null && (s.rank !== 1 || s.shape[0] !== D)) {
    throw new ValueError(`additiveScores: w must have shape [${D}] (the last dimension of query), received ${formatShape(s.shape)}.`);
  }
  const qv = toFloat32(q.values);
  const kv = toFloat32(k.values);
  const wv = s === null ? null : toFloat32(s.values);
  const out = new Float32Array(B * Tq * Tv);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Tq; i++) {
      const qo = (b * Tq + i) * D;
      for (let j = 0; j < Tv; j++) {
        const ko = (b * Tv + j) * D;
        let acc = 0;
        if (wv) for (let d = 0; d < D; d++) acc += wv[d] * Math.tanh(qv[qo + d] + kv[ko + d]);
        else for (let d = 0; d < D; d++) acc += Math.tanh(qv[qo + d] + kv[ko + d]);
        out[(b * Tq + i) * Tv + j] = acc;
      }
    }
  }
  const y = makeTensor(out, [B, Tq, Tv], 'float32');
  const inputs = s === null ? [q, k] : [q, k, s];
  record('additiveScores', inputs, [y], ([dy]) => {
    const dv = toFloat32(dy.values);
    const dq = new Float32Array(q.size);
    const dk = new Float32Array(k.size);
    const dw = new Float64Array(D);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < Tq; i++) {
        const qo = (b * Tq + i) * D;
        for (let j = 0; j < Tv; j++) {
          const g = dv[(b * Tq + i) * Tv + j];
          if (g === 0) continue;
          const ko = (b * Tv + j) * D;
          for (let d = 0; d < D; d++) {
            const t = Math.tanh(qv[qo + d] + kv[ko + d]);
            const gt = g * (wv ? wv[d] : 1) * (1 - t * t);
            dq[qo + d] += gt;
            dk[ko + d] += gt;
            dw[d] += g * t;
          }
        }
      }
    }
    const grads: (Tensor | null)[] = [makeTensor(dq, q.shape.slice(), 'float32'), makeTensor(dk, k.shape.slice(), 'float32')];
    if (s !== null) grads.push(makeTensor(Float32Array.from(dw), [D], 'float32'));
    return grads;
  });
  return y;
}
