/**
 * nn.MultiheadAttention beyond the PyTorch fixture (attention_conv_vs_pytorch.test.ts): isCausal against the
 * fixture's explicit causal mask, dropout, PyTorch's initialization bounds, fully masked rows, bad input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NotImplementedError, tensor, Tensor, ValueError } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { randomInput } from '@recurrent/test-utils';
import { expectClose, num } from './helpers';

interface Enc {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'attention_conv.json'), 'utf8')) as {
  mha: { name: string; stateDict: Record<string, Enc>; query: Enc; output: Enc; weights: Enc }[];
};
const dec = (e: Enc): Tensor => tensor(Float32Array.from(e.data), e.shape, 'float32');

describe('nn.MultiheadAttention', () => {
  it('isCausal without attnMask gives PyTorch’s output for the explicit causal bool mask', () => {
    const c = fx.mha.find((m) => m.name.includes('causal'))!;
    const m = new nn.MultiheadAttention(8, 4, { batchFirst: true });
    m.loadStateDict(Object.fromEntries(Object.entries(c.stateDict).map(([k, e]) => [k, dec(e)])));
    const q = dec(c.query);
    const [y, w] = m.forward(q, q, q, { isCausal: true });
    expectClose(num(y), c.output.data, 2e-6, 'output');
    expectClose(num(w!), c.weights.data, 1e-6, 'weights');
    // With an attnMask the flag is only a hint (as PyTorch): the mask given is used.
    const [y2] = m.forward(q, q, q, { isCausal: true, attnMask: tensor(new Float32Array(9), [3, 3]) });
    const [y3] = m.forward(q, q, q);
    expectClose(num(y2), num(y3), 0, 'isCausal with a zero attnMask');
  });

  it('dropout: p = 1 in training zeroes the weights (output = out_proj.bias); eval is the identity', () => {
    const m = new nn.MultiheadAttention(4, 2, { dropout: 1, seed: 3 });
    m.outProj.bias!.assign(tensor([0.1, -0.2, 0.3, 0.4], [4]));
    const x = randomInput([3, 2, 4], 4);
    const [y, w] = m.forward(x, x, x);
    expect(num(w!).every((v) => v === 0)).toBe(true);
    expectClose(num(y), Array.from({ length: 6 }, () => [0.1, -0.2, 0.3, 0.4]).flat(), 1e-7, 'output');
    const half = new nn.MultiheadAttention(4, 2, { dropout: 0.5, seed: 3 });
    half.eval();
    const plain = new nn.MultiheadAttention(4, 2, { seed: 3 });
    expectClose(num(half.forward(x, x, x)[0]), num(plain.forward(x, x, x)[0]), 0, 'eval output');
  });

  it('initializes as PyTorch: Xavier-uniform projections, zero biases, out_proj.weight within 1/√embedDim', () => {
    const E = 16;
    const packed = new nn.MultiheadAttention(E, 4, { seed: 5 });
    const maxAbs = (t: Tensor) => Math.max(...num(t).map(Math.abs));
    const xavier = Math.sqrt(6 / (E + 3 * E));
    expect(maxAbs(packed.inProjWeight!)).toBeLessThanOrEqual(xavier);
    expect(maxAbs(packed.inProjWeight!)).toBeGreaterThan(0.9 * xavier);
    expect(maxAbs(packed.inProjBias!)).toBe(0);
    expect(maxAbs(packed.outProj.bias!)).toBe(0);
    expect(maxAbs(packed.outProj.weight)).toBeLessThanOrEqual(1 / Math.sqrt(E));
    const split = new nn.MultiheadAttention(E, 4, { kdim: 5, vdim: 7, bias: false, seed: 5 });
    expect(split.inProjWeight).toBeNull();
    expect(split.inProjBias).toBeNull();
    expect(split.outProj.bias).toBeNull();
    const kw = split.getParameter('k_proj_weight');
    expect(kw.shape).toEqual([E, 5]);
    expect(maxAbs(kw)).toBeLessThanOrEqual(Math.sqrt(6 / (E + 5)));
    expect(split.getParameter('v_proj_weight').shape).toEqual([E, 7]);
    // One seed, one reproducible stream: the same weights again, and out_proj.weight not a copy of in_proj_weight's start.
    expect(num(new nn.MultiheadAttention(E, 4, { seed: 5 }).outProj.weight)).toEqual(num(packed.outProj.weight));
    expect(num(packed.outProj.weight).slice(0, 4)).not.toEqual(num(packed.inProjWeight!).slice(0, 4));
    expect(split.toString()).toContain('(out_proj): Linear(inFeatures=16, outFeatures=16, bias=false)');
  });

  it('a query whose keys are all masked gives NaN, as PyTorch', () => {
    const m = new nn.MultiheadAttention(4, 1, { seed: 6 });
    const x = randomInput([2, 1, 4], 7);
    const [, w] = m.forward(x, x, x, { keyPaddingMask: tensor([true, true], [1, 2], 'bool') });
    expect(num(w!).every(Number.isNaN)).toBe(true);
  });

  it('refuses bad arguments, naming the module, the argument, what was expected and what came', () => {
    expect(() => new nn.MultiheadAttention(8, 2, { batch_first: true } as never)).toThrow(/did you mean 'batchFirst'/);
    expect(() => new nn.MultiheadAttention(8, 3)).toThrow(/nn.MultiheadAttention: embedDim \(8\) must be divisible by numHeads \(3\)/);
    expect(() => new nn.MultiheadAttention(8, 2, { addBiasKv: true })).toThrow(NotImplementedError);
    expect(() => new nn.MultiheadAttention(8, 2, { dropout: 2 })).toThrow(/dropout must be a probability in \[0, 1\], received 2/);
    const m = new nn.MultiheadAttention(4, 2, { kdim: 3 });
    const q = randomInput([3, 2, 4], 1);
    const k = randomInput([5, 2, 3], 2);
    const v = randomInput([5, 2, 4], 3);
    expect(() => m.forward(q, q, v)).toThrow(
      /nn.MultiheadAttention.forward: key must be \[seq, batch, features\] with features = 3, received shape \[3,2,4\]/,
    );
    expect(() => m.forward(q, k, randomInput([5, 1, 4], 3))).toThrow(/same batch size/);
    expect(() => m.forward(q, k, v, { attnMask: tensor(new Float32Array(15), [5, 3]) })).toThrow(
      /attnMask must have shape \[L, S\] = \[3, 5\] or \[batch·numHeads, L, S\] = \[4, 3, 5\], received \[5,3\]/,
    );
    expect(() => m.forward(q, k, v, { keyPaddingMask: tensor(new Int32Array(10), [2, 5], 'int32') })).toThrow(
      /keyPaddingMask must be a bool Tensor .* received an int32 Tensor of shape \[2,5\]/,
    );
    expect(() => m.forward(q, k, v, { keyPaddingMask: tensor(new Float32Array(5), [5]) })).toThrow(
      /keyPaddingMask must have shape \[batch, S\] = \[2,5\], received \[5\]/,
    );
    expect(() => m.forward(q, k, v, { need_weights: false } as never)).toThrow(/did you mean 'needWeights'/);
    expect(() => m.forward(q, k, v, { needWeights: 1 } as never)).toThrow(ValueError);
  });
});
