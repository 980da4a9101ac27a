import { grads, matMul, add, mul, rnn, sum, tanh, tensor, Tensor, RnnStepFunction } from '../src';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

const batch = 2;
const time = 4;
const features = 3;
const units = 2;

interface Case {
  goBackwards?: boolean;
  mask?: number[][];
  withConstant?: boolean;
}

/** Float64 reference of the tanh RNN with Keras mask semantics: returns a scalar loss. */
function referenceLoss(
  x: number[],
  w: number[],
  u: number[],
  h0: number[],
  c: number[],
  lossW: { seq: number[]; last: number[]; state: number[] },
  opts: Case,
): { loss: number; outputs: number[]; last: number[]; state: number[] } {
  let h = h0.slice();
  let prevOut = new Array(batch * units).fill(0);
  const outputs: number[] = new Array(batch * time * units).fill(0);
  const order = Array.from({ length: time }, (_, i) => (opts.goBackwards ? time - 1 - i : i));
  order.forEach((t, k) => {
    const next = new Array(batch * units).fill(0);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < units; j++) {
        let z = opts.withConstant ? c[b * units + j] : 0;
        for (let f = 0; f < features; f++) z += x[(b * time + t) * features + f] * w[f * units + j];
        for (let i = 0; i < units; i++) z += h[b * units + i] * u[i * units + j];
        next[b * units + j] = Math.tanh(z);
      }
    }
    const out = next.slice();
    for (let b = 0; b < batch; b++) {
      const keep = opts.mask ? opts.mask[b][t] : 1;
      for (let j = 0; j < units; j++) {
        if (!keep) {
          next[b * units + j] = h[b * units + j];
          out[b * units + j] = prevOut[b * units + j];
        }
        outputs[(b * time + k) * units + j] = out[b * units + j];
      }
    }
    h = next;
    prevOut = out;
  });
  let loss = 0;
  outputs.forEach((v, i) => (loss += v * lossW.seq[i]));
  prevOut.forEach((v, i) => (loss += v * lossW.last[i]));
  h.forEach((v, i) => (loss += v * lossW.state[i]));
  return { loss, outputs, last: prevOut, state: h };
}

function runCase(opts: Case) {
  const x = values(batch * time * features, 1);
  const w = values(features * units, 2);
  const u = values(units * units, 3);
  const h0 = values(batch * units, 4).map((v) => v * 0.5);
  const c = values(batch * units, 5);
  const lossW = { seq: values(batch * time * units, 6), last: values(batch * units, 7), state: values(batch * units, 8) };
  const maskT = opts.mask ? tensor(opts.mask) : null;

  const loss = (xT: Tensor, wT: Tensor, uT: Tensor, h0T: Tensor, cT: Tensor) => {
    const step: RnnStepFunction = (xt, [h], consts) => {
      let z = add(matMul(xt, wT), matMul(h, uT));
      if (opts.withConstant) z = add(z, consts[0]);
      const y = tanh(z);
      return [y, [y]];
    };
    const [last, outputs, [hT]] = rnn(step, xT, [h0T], opts.goBackwards, maskT, opts.withConstant ? [cT] : []);
    return add(
      add(sum(mul(outputs, tensor(lossW.seq, [batch, time, units]))), sum(mul(last, tensor(lossW.last, [batch, units])))),
      sum(mul(hT, tensor(lossW.state, [batch, units]))),
    );
  };
  const inputs = [
    tensor(x, [batch, time, features]),
    tensor(w, [features, units]),
    tensor(u, [units, units]),
    tensor(h0, [batch, units]),
    tensor(c, [batch, units]),
  ];
  const raw = [x, w, u, h0, c];
  const ref = referenceLoss(x, w, u, h0, c, lossW, opts);

  // Forward: the loss (which mixes outputs, last output and final state) matches the float64 reference.
  const value = loss(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]);
  expect(value.dataSync()[0]).toBeCloseTo(ref.loss, 5);

  // Backward through time: analytic gradients against central differences of the float64 reference.
  const analytic = grads(loss)(inputs);
  const eps = 1e-6;
  raw.forEach((arr, k) => {
    const g = analytic[k].dataSync();
    for (let i = 0; i < arr.length; i++) {
      const plus = raw.map((r) => r.slice());
      const minus = raw.map((r) => r.slice());
      plus[k][i] += eps;
      minus[k][i] -= eps;
      const fp = referenceLoss(plus[0], plus[1], plus[2], plus[3], plus[4], lossW, opts).loss;
      const fm = referenceLoss(minus[0], minus[1], minus[2], minus[3], minus[4], lossW, opts).loss;
      const numeric = (fp - fm) / (2 * eps);
      expect(Math.abs(g[i] - numeric)).toBeLessThan(1e-4 + 1e-4 * Math.abs(numeric));
    }
  });
  return ref;
}

describe('rnn() time loop', () => {
  it('matches the reference and its gradients through time without a mask', () => {
    runCase({});
  });
  it('walks time in reverse with goBackwards (outputs in processing order)', () => {
    runCase({ goBackwards: true });
  });
  it('carries states and repeats outputs where the mask is 0', () => {
    runCase({
      mask: [
        [0, 1, 0, 1],
        [1, 1, 1, 0],
      ],
    });
  });
  it('handles a mask together with goBackwards', () => {
    runCase({
      mask: [
        [1, 0, 1, 1],
        [0, 1, 1, 0],
      ],
      goBackwards: true,
    });
  });
  it('passes constants to every step', () => {
    runCase({
      withConstant: true,
      mask: [
        [1, 1, 0, 1],
        [1, 1, 1, 1],
      ],
    });
  });

  it('masked outputs repeat the previous output, zeros before the first kept step', () => {
    const step: RnnStepFunction = (xt, [h]) => {
      const y = add(xt, h);
      return [y, [y]];
    };
    const x = tensor([[[1], [2], [3]]]);
    const [last, outputs, [state]] = rnn(step, x, [tensor([[10]])], false, tensor([[0, 1, 0]]));
    // step 0 masked: output 0 (no previous output), state stays 10; step 1: 2 + 10 = 12; step 2 masked: repeats 12.
    expect(Array.from(outputs.dataSync())).toEqual([0, 12, 12]);
    expect(last.dataSync()[0]).toBe(12);
    expect(state.dataSync()[0]).toBe(12);
  });

  it('a masked step selects the previous output and states exactly, even when the step gives Infinity or NaN', () => {
    // Keras and tfjs pick with where(mask, new, previous); the fused kernels with mask !== 0. Padding values that overflow
    // the step (here Infinity and NaN after the valid steps) must not reach the kept values: 0 · (Inf − prev) is NaN.
    const step: RnnStepFunction = (xt, [h]) => {
      const y = add(xt, h);
      return [y, [y]];
    };
    const x = tensor([[[1], [2], [Infinity], [NaN]]]);
    const [last, outputs, [state]] = rnn(step, x, [tensor([[10]])], false, tensor([[1, 1, 0, 0]]));
    expect(Array.from(outputs.dataSync())).toEqual([11, 13, 13, 13]);
    expect(last.dataSync()[0]).toBe(13);
    expect(state.dataSync()[0]).toBe(13);
    // Float32 values far apart: the kept value is the new one bit for bit (prev + 1·(new − prev) rounds 1 − 2^30 to −2^30).
    const big = tensor([[[2 ** 30], [1]]]);
    const [, outs] = rnn((xt) => [xt, [xt]], big, [tensor([[0]])], false, tensor([[1, 1]]));
    expect(Array.from(outs.dataSync())).toEqual([2 ** 30, 1]);
  });

  it('delegates to a sequence kernel attached to the step function', () => {
    const step = ((x: Tensor, s: Tensor[]) => [x, s]) as RnnStepFunction;
    const marker = tensor([[42]]);
    step.sequenceKernel = (_inputs, states, args) => {
      expect(args.goBackwards).toBe(true);
      expect(args.mask?.dtype).toBe('float32');
      return [marker, marker, states];
    };
    const [last] = rnn(step, tensor([[[1], [2]]]), [tensor([[0]])], true, tensor([[true, false]], undefined, 'bool'));
    expect(last).toBe(marker);
  });

  it('rejects inputs of rank < 3, a mask of the wrong shape and mismatched state batch', () => {
    const step: RnnStepFunction = (x, s) => [x, s];
    expect(() => rnn(step, tensor([[1, 2]]), [])).toThrow(/rnn: inputs should be at least 3D .*shape \[1,2\]/);
    expect(() => rnn(step, tensor([[[1], [2]]]), [], false, tensor([[1, 1, 1]]))).toThrow(
      /mask must have shape \[batch, timeSteps\] = \[1,2\], received \[1,3\]/,
    );
    expect(() => rnn(step, tensor([[[1], [2]]]), [tensor([[0], [0]])])).toThrow(/initialStates\[0\] has batch size 2/);
  });
});
