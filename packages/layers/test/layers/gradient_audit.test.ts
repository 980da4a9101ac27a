/**
 * Finite-difference gradient checks the layer tests did not have (session 7 audit): layers whose input or weight
 * gradients were only compared with tfjs (or not checked), and the layer options that change the backward.
 * Inputs avoid the kinks (relu at 0 and at its cap, max-pool ties, abs at 0).
 */
import { mul, sum, Tensor, tensor } from '@recurrent/core';
import { layers, Layer } from '@recurrent/layers';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { checkWeightGradients } from '../helpers/weight_grad_check';

/** Builds `layer` on `x`, sets every weight to seeded values in [lo, hi) (non-trivial, not the initializers'). */
function built(layer: Layer, x: Tensor | Tensor[], seed: number, lo = -0.8, hi = 0.8): Layer {
  layer.apply(x);
  layer.setWeights(layer.getWeights().map((w, i) => randomInput(w.shape.slice(), seed + i, lo, hi)));
  return layer;
}

/** Input gradient, then weight gradients of Σ w ⊙ layer(x) with w of the output's shape. */
function checkLayer(layer: Layer, x: Tensor, seed: number, kwargs: { [k: string]: unknown } = {}): void {
  built(layer, x, seed);
  checkGradients((a) => layer.apply(a, kwargs) as Tensor, [x]);
  if (layer.trainableWeights.length > 0) {
    const y = layer.apply(x, kwargs) as Tensor;
    const w = randomInput(y.shape.slice(), seed + 50, 0.5, 1.5);
    checkWeightGradients(layer, () => sum(mul(layer.apply(x, kwargs) as Tensor, w)));
  }
}

describe('convolutions: input and every weight', () => {
  it("Conv1D 'causal', dilation 2, relu-free", () => {
    checkLayer(layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2 }), randomInput([2, 5, 2], 1), 10);
  });
  it("Conv1D groups 2, strides 2, 'same', tanh", () => {
    checkLayer(
      layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', groups: 2, activation: 'tanh' }),
      randomInput([2, 6, 4], 2),
      20,
    );
  });
  it('SeparableConv1D depthMultiplier 2 (depthwise, pointwise, bias)', () => {
    checkLayer(layers.separableConv1d({ filters: 3, kernelSize: 2, depthMultiplier: 2 }), randomInput([2, 5, 2], 3), 30);
  });
  it('DepthwiseConv1D input', () => {
    checkLayer(layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), randomInput([2, 4, 2], 4), 40);
  });
});

describe('pooling and reshaping layers: input gradients', () => {
  // Seeded uniform values have no ties within a window.
  const x = () => randomInput([2, 6, 3], 5);
  it.each([
    ['MaxPooling1D', () => layers.maxPooling1d({ poolSize: 2 })],
    ["MaxPooling1D 'same', strides 1", () => layers.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' })],
    ['AveragePooling1D', () => layers.averagePooling1d({ poolSize: 3, strides: 2 })],
    ["AveragePooling1D 'same'", () => layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' })],
    ['Cropping1D', () => layers.cropping1d({ cropping: [1, 2] })],
    ['ZeroPadding1D', () => layers.zeroPadding1d({ padding: [2, 1] })],
    ['Flatten', () => layers.flatten()],
    ['Reshape', () => layers.reshape({ targetShape: [3, 6] })],
    ['Permute', () => layers.permute({ dims: [2, 1] })],
  ] as Array<[string, () => Layer]>)('%s', (_, make) => {
    checkLayer(make(), x(), 60);
  });
  it('RepeatVector', () => {
    checkLayer(layers.repeatVector({ n: 3 }), randomInput([2, 4], 6), 70);
  });
});

describe('activation layers: input gradients (and PReLU alpha)', () => {
  // |x| ≥ 0.05 away from 0, from the ReLU threshold 0.3 and the cap 1.2.
  const x = () =>
    tensor(
      [
        [-1.5, -0.4, 0.1, 0.45],
        [0.9, 1.4, -0.05, 2],
      ],
      [2, 4],
    );
  it.each([
    ['LeakyReLU', () => layers.leakyReLU({ alpha: 0.1 })],
    ['Softmax axis -1', () => layers.softmax({ axis: -1 })],
    ['Softmax axis 0', () => layers.softmax({ axis: 0 })],
    ['ReLU maxValue, negativeSlope, threshold', () => layers.reLU({ maxValue: 1.2, negativeSlope: 0.2, threshold: 0.3 })],
    ['ELU', () => layers.elu({ alpha: 1 })],
    ['Activation hardSigmoid', () => layers.activation({ activation: 'hardSigmoid' })],
    ['Activation softmax', () => layers.activation({ activation: 'softmax' })],
    ['PReLU (input and alpha)', () => layers.prelu({})],
  ] as Array<[string, () => Layer]>)('%s', (_, make) => {
    checkLayer(make(), x(), 80);
  });
  it('PReLU with sharedAxes: one alpha per channel, its gradient summed over steps', () => {
    checkLayer(layers.prelu({ sharedAxes: [1] }), randomInput([2, 3, 2], 7), 90);
  });
});

describe('BatchNormalization in inference (moving statistics): input, gamma and beta', () => {
  it('axis -1 and axis 1', () => {
    const x = randomInput([3, 2, 4], 8);
    const bn = layers.batchNormalization({});
    built(bn, x, 100);
    // Moving variance must stay positive: set it apart.
    const ws = bn.getWeights();
    ws[3] = randomInput([4], 105, 0.5, 1.5);
    bn.setWeights(ws);
    checkGradients((a) => bn.apply(a) as Tensor, [x]);
    const w = randomInput([3, 2, 4], 9, 0.5, 1.5);
    checkWeightGradients(bn, () => sum(mul(bn.apply(x) as Tensor, w)));
    const bn1 = layers.batchNormalization({ axis: 1, center: false });
    built(bn1, x, 110, 0.5, 1.5);
    checkGradients((a) => bn1.apply(a) as Tensor, [x]);
    checkWeightGradients(bn1, () => sum(mul(bn1.apply(x) as Tensor, w)));
  });
});

describe('noise and dropout layers in training with rate 0: the identity path', () => {
  it.each([
    ['Dropout', () => layers.dropout({ rate: 0 })],
    ['SpatialDropout1D', () => layers.spatialDropout1d({ rate: 0 })],
    ['GaussianDropout', () => layers.gaussianDropout({ rate: 0 })],
    ['AlphaDropout', () => layers.alphaDropout({ rate: 0 })],
    ['GaussianNoise', () => layers.gaussianNoise({ stddev: 0 })],
  ] as Array<[string, () => Layer]>)('%s', (_, make) => {
    const l = make();
    const r = checkGradients((a) => l.apply(a, { training: true }) as Tensor, [randomInput([2, 3, 2], 10)]);
    expect(r.maxAbsError).toBeLessThan(1e-3);
  });
});

describe('attention layers in training with dropout 0, and the returned attention scores', () => {
  /** Σ_k w_k ⊙ outputs[k] (output and scores both weigh in). */
  const weighted = (outs: Tensor[], seed: number): Tensor =>
    outs.map((o, k) => sum(mul(o, randomInput(o.shape.slice(), seed + k, 0.5, 1.5)))).reduce((p, q) => p.add(q));
  const q = () => randomInput([2, 3, 4], 11);
  const v = () => randomInput([2, 2, 4], 12);
  const vMask = tensor([1, 1, 1, 0], [2, 2], 'bool');
  it.each([
    ['Attention useScale', () => layers.attention({ useScale: true, dropout: 0 })],
    ["Attention scoreMode 'concat'", () => layers.attention({ scoreMode: 'concat', dropout: 0 })],
    ['AdditiveAttention', () => layers.additiveAttention({ dropout: 0 })],
    ['MultiHeadAttention', () => layers.multiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0 })],
  ] as Array<[string, () => Layer]>)('%s: query, value and every weight, through the output and the scores', (_, make) => {
    const layer = built(make(), [q(), v()], 170);
    const kwargs = { training: true, returnAttentionScores: true, mask: [null, vMask] };
    checkGradients((a, b) => weighted(layer.apply([a, b], kwargs) as Tensor[], 180), [q(), v()]);
    if (layer.trainableWeights.length > 0) checkWeightGradients(layer, () => weighted(layer.apply([q(), v()], kwargs) as Tensor[], 180));
  });
});

describe('MultiHeadAttention variants: no bias with outputShape and attentionAxes, gate with a sliding window, rank-4 inputs', () => {
  it.each([
    [
      'useBias false, outputShape [2, 2], attentionAxes [1]',
      () => layers.multiHeadAttention({ numHeads: 1, keyDim: 2, useBias: false, outputShape: [2, 2], attentionAxes: [1] }),
      [2, 3, 3],
      [2, 2, 3],
    ],
    [
      'useGate, slidingWindow 2',
      () => layers.multiHeadAttention({ numHeads: 2, keyDim: 2, useGate: true, slidingWindow: 2 }),
      [1, 4, 3],
      [1, 4, 3],
    ],
    ['rank 4, attention over both inner axes', () => layers.multiHeadAttention({ numHeads: 2, keyDim: 2 }), [1, 2, 2, 3], [1, 2, 2, 3]],
    [
      'rank 4, attentionAxes [2]',
      () => layers.multiHeadAttention({ numHeads: 1, keyDim: 2, valueDim: 3, attentionAxes: [2] }),
      [1, 2, 2, 3],
      [1, 2, 3, 3],
    ],
  ] as Array<[string, () => Layer, number[], number[]]>)('%s: query, value and every weight', (_, make, qs, vs) => {
    const q = randomInput(qs, 13);
    const v = randomInput(vs, 14);
    const layer = built(make(), [q, v], 300);
    checkGradients((a, b) => layer.apply([a, b]) as Tensor, [q, v]);
    const y = layer.apply([q, v]) as Tensor;
    const w = randomInput(y.shape.slice(), 310, 0.5, 1.5);
    checkWeightGradients(layer, () => sum(mul(layer.apply([q, v]) as Tensor, w)));
  });
});
