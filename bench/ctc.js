// CTC loss forward + backward on logits [32, 200, 30] (labels of 20–40 ids, 5 % of sequences shortened), two ways:
// - fused:     rc.ctcLoss, one tape node (log-space forward–backward on typed arrays, kernels/ctc_kernel.ts);
// - op by op:  the same α recursion written with public ops (logSoftmax, matMul for the emissions, then per step
//              concat / slice / stack / logSumExp / where over the whole batch), differentiated by the tape.
// Each row times `grads(sum(loss))` and reads the gradient. The op-by-op result is checked against the fused one
// before timing (it must agree within 1e-3). tfjs has no CTC loss, so there is no tfjs column.
//
//   npm run build && node bench/ctc.js      (or `npm run bench -- ctc`)
//   BENCH_QUICK=1 / CTC_SHAPE=4,30,8 node bench/ctc.js   fewer runs / a smaller problem (smoke test)
const rc = require('recurrent');
const { time, median } = require('./harness');

const QUICK = process.env.BENCH_QUICK === '1';
const [B, T, C] = (process.env.CTC_SHAPE || '32,200,30').split(',').map(Number);
const NEG = -1e30; // "log 0" for the op-by-op version (−Infinity would give NaN gradients in logSumExp)

/** Seeded problem: logits, padded labels, lengths. */
function problem() {
  const g = new rc.RandomGenerator(5);
  const maxL = Math.max(1, Math.min(40, Math.floor((T - 1) / 2)));
  const minL = Math.max(1, Math.floor(maxL / 2));
  const labelLengths = new Int32Array(B);
  const logitLengths = new Int32Array(B);
  const labels = new Int32Array(B * maxL);
  for (let b = 0; b < B; b++) {
    labelLengths[b] = minL + g.int(maxL - minL + 1);
    logitLengths[b] = g.uniform(0, 1) < 0.05 ? T - g.int(Math.floor(T / 4)) : T;
    for (let j = 0; j < labelLengths[b]; j++) labels[b * maxL + j] = 1 + g.int(C - 1);
  }
  return {
    logits: rc.randomNormal([B, T, C], 0, 1, 'float32', 7),
    labels: rc.tensor(labels, [B, maxL], 'int32'),
    labelLengths: rc.tensor(labelLengths, [B], 'int32'),
    logitLengths: rc.tensor(logitLengths, [B], 'int32'),
    maxL,
  };
}

/** The constant tensors of the op-by-op version: one-hot extended labels, skip mask, step masks, final mask. */
function opByOpConstants(p) {
  const S = 2 * p.maxL + 1;
  const lab = p.labels.dataSync();
  const ll = p.labelLengths.dataSync();
  const tl = p.logitLengths.dataSync();
  const oneHot = new Float32Array(B * C * S); // [B, C, S]: column s selects class l'_s
  const skip = new Float32Array(B * S).fill(NEG); // 0 where s−2 → s is allowed
  const final = new Float32Array(B * S).fill(NEG); // 0 at the two end states
  const init = new Float32Array(B * S).fill(NEG); // 0 at the two start states
  for (let b = 0; b < B; b++) {
    const Sb = 2 * ll[b] + 1;
    const ext = (s) => (s & 1 ? lab[b * p.maxL + ((s - 1) >> 1)] : 0);
    for (let s = 0; s < S; s++) {
      oneHot[(b * C + (s < Sb ? ext(s) : 0)) * S + s] = 1;
      if (s < Sb && s >= 3 && s & 1 && ext(s) !== ext(s - 2)) skip[b * S + s] = 0;
    }
    final[b * S + Sb - 1] = 0;
    if (Sb > 1) final[b * S + Sb - 2] = 0;
    init[b * S] = 0;
    if (Sb > 1) init[b * S + 1] = 0;
  }
  // active[t]: [B, 1] true while t < logitLengths[b].
  const active = [];
  for (let t = 0; t < T; t++)
    active.push(
      rc.tensor(
        Uint8Array.from({ length: B }, (_, b) => (t < tl[b] ? 1 : 0)),
        [B, 1],
        'bool',
      ),
    );
  return {
    S,
    oneHot: rc.tensor(oneHot, [B, C, S]),
    skip: rc.tensor(skip, [B, S]),
    final: rc.tensor(final, [B, S]),
    init: rc.tensor(init, [B, S]),
    active,
    negCol: rc.fill([B, 1], NEG),
    negCols2: rc.fill([B, 2], NEG),
  };
}

/** CTC loss [B] from public ops (states beyond a sample's 2L + 1 stay at "log 0" through the one-hot and masks). */
function ctcOpByOp(logits, k) {
  const S = k.S;
  const emit = rc.matMul(rc.logSoftmax(logits), k.oneHot); // [B, T, S]: lp_t(l'_s)
  const steps = rc.unstack(emit, 1); // T × [B, S]
  let alpha = rc.add(steps[0], k.init);
  for (let t = 1; t < T; t++) {
    const shift1 = rc.concat([k.negCol, rc.slice(alpha, [0, 0], [B, S - 1])], 1);
    const shift2 = rc.add(rc.concat([k.negCols2, rc.slice(alpha, [0, 0], [B, S - 2])], 1), k.skip);
    const next = rc.add(rc.logSumExp(rc.stack([alpha, shift1, shift2], 2), 2), steps[t]);
    alpha = rc.where(rc.broadcastTo(k.active[t], [B, S]), next, alpha);
  }
  return rc.neg(rc.logSumExp(rc.add(alpha, k.final), 1));
}

function main() {
  const p = problem();
  const k = opByOpConstants(p);
  const fused = (z) => rc.ctcLoss(p.labels, z, p.labelLengths, p.logitLengths);
  const opByOp = (z) => ctcOpByOp(z, k);
  const gradOf = (f) => () =>
    rc
      .grads((z) => rc.sum(f(z)))([p.logits])[0]
      .dataSync();

  // The two must agree before they are compared.
  const lf = fused(p.logits).dataSync();
  const lo = opByOp(p.logits).dataSync();
  const gf = gradOf(fused)();
  const go = gradOf(opByOp)();
  let worst = 0;
  for (let i = 0; i < lf.length; i++) worst = Math.max(worst, Math.abs(lf[i] - lo[i]) / Math.max(1, Math.abs(lf[i])));
  for (let i = 0; i < gf.length; i++) worst = Math.max(worst, Math.abs(gf[i] - go[i]));
  if (!(worst < 1e-3)) throw new Error(`bench/ctc: the op-by-op CTC differs from the fused one by ${worst}`);

  const runs = QUICK ? 2 : 5;
  const tf = time(gradOf(fused), { warmup: 1, runs });
  const to = time(gradOf(opByOp), { warmup: 1, runs: QUICK ? 1 : 3 });
  const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
  return [
    ['CTC loss fwd+bwd', 'fused (rc.ctcLoss)', 'op by op', 'speed-up'],
    [`[${B}, ${T}, ${C}], labels ≤ ${p.maxL}`, fmt(median(tf)), fmt(median(to)), `${(median(to) / median(tf)).toFixed(1)}x`],
  ];
}

module.exports = { benchCtc: main };

if (require.main === module) {
  const { printTable } = require('./harness');
  printTable(main());
}
