/**
 * The batch-1 inference path of the recurrent layers (`sequenceApply`: the cell's step kernel over the whole
 * sequence, weights kept packed between calls): it is taken for one-row inference calls and not for training,
 * masks, gradients or larger batches; its outputs and states equal the op-by-op path (`cell.call` per step,
 * the TypeScript reference) for every built-in cell, goBackwards, returnSequences, returnState, stateful;
 * after setWeights / assign / a gradient step it uses the new weights; dispose frees the resident kernel.
 */
import { noGrad, ones, Tensor, tensor, variableGrads } from '@recurrent/core';
import { cellKernelResidentBytes, layers, RNN } from '../../src';
import * as stepKernel from '../../src/recurrent/step_kernel';
import { asList, maxDiff, uniform } from './rnn_test_utils';

/** The layer's outputs on `x` through the op-by-op path (useFusedKernel false: cell.call per step). */
function reference(layer: RNN, x: Tensor, kwargs = {}): Tensor[] {
  layer.useFusedKernel = false;
  try {
    return asList(layer.apply(x, kwargs) as Tensor | Tensor[]);
  } finally {
    layer.useFusedKernel = true;
  }
}

function expectClose(actual: Tensor[], expected: Tensor[], tol = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(maxDiff(a, expected[i])).toBeLessThanOrEqual(tol));
}

const makers: [string, () => RNN][] = [
  ['LSTM', () => layers.lstm({ units: 7, returnSequences: true, returnState: true })],
  [
    'LSTM goBackwards, sigmoid gates',
    () => layers.lstm({ units: 5, goBackwards: true, recurrentActivation: 'sigmoid', returnState: true }),
  ],
  ['LSTM goBackwards + returnSequences', () => layers.lstm({ units: 4, goBackwards: true, returnSequences: true })],
  ['GRU (resetAfter false)', () => layers.gru({ units: 6, returnSequences: true, returnState: true })],
  ['GRU resetAfter, no bias', () => layers.gru({ units: 6, resetAfter: true, useBias: false, recurrentActivation: 'sigmoid' })],
  ['SimpleRNN relu', () => layers.simpleRNN({ units: 5, activation: 'relu', returnSequences: true })],
  [
    'stacked LSTM → GRU, goBackwards',
    () =>
      layers.rnn({
        cell: [layers.lstmCell({ units: 4 }), layers.gruCell({ units: 3, resetAfter: true })],
        goBackwards: true,
        returnSequences: true,
        returnState: true,
      }),
  ],
];

describe('sequenceApply: batch-1 inference through the step kernel', () => {
  for (const [name, make] of makers) {
    it(`${name}: equals the op-by-op path, and is the path taken`, () => {
      const layer = make();
      const x = uniform([1, 9, 3], 3);
      layer.apply(x); // builds
      const spy = jest.spyOn(stepKernel, 'sequenceApply');
      const out = asList(layer.apply(x) as Tensor | Tensor[]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.results[0].value).not.toBeNull();
      spy.mockRestore();
      expectClose(out, reference(layer, x));
      // With initial states (not the zeros).
      const init = (layer.cell as unknown as { stateSize: number | number[] }).stateSize;
      const sizes = Array.isArray(init) ? init : [init];
      const given = sizes.map((s, i) => uniform([1, s], 10 + i, -0.5, 0.5));
      expectClose(asList(layer.apply(x, { initialState: given }) as Tensor | Tensor[]), reference(layer, x, { initialState: given }));
    });
  }

  it('stateful: consecutive calls carry the states as the op-by-op path does', () => {
    const make = () => layers.lstm({ units: 5, stateful: true, batchInputShape: [1, 4, 3], returnSequences: true });
    const fast = make();
    const slow = make();
    fast.apply(uniform([1, 4, 3], 1));
    slow.apply(uniform([1, 4, 3], 1));
    slow.setWeights(fast.getWeights());
    fast.resetStates();
    slow.resetStates();
    slow.useFusedKernel = false;
    for (let i = 0; i < 3; i++) {
      const x = uniform([1, 4, 3], 20 + i);
      expect(maxDiff(fast.apply(x) as Tensor, slow.apply(x) as Tensor)).toBeLessThanOrEqual(2e-6);
    }
    expect(maxDiff(fast.states![1], slow.states![1])).toBeLessThanOrEqual(2e-6);
  });

  it('stateful: outputs and states already returned are never written by later calls (new buffers per call)', () => {
    const layer = layers.lstm({ units: 5, stateful: true, batchInputShape: [1, 4, 3], returnSequences: true, returnState: true });
    layer.apply(uniform([1, 4, 3], 1));
    layer.resetStates();
    const kept: Tensor[][] = [];
    for (let i = 0; i < 3; i++) kept.push([...asList(layer.apply(uniform([1, 4, 3], 30 + i)) as Tensor[]), ...layer.states!]);
    const copies = kept.map((ts) => ts.map((t) => Array.from(t.values)));
    layer.apply(uniform([1, 4, 3], 40));
    kept.forEach((ts, i) => ts.forEach((t, k) => expect(Array.from(t.values)).toEqual(copies[i][k])));
    expect(kept[0][0].values.buffer).not.toBe(kept[1][0].values.buffer);
    // The output and each state own their whole buffer: writing `y.dataSync().buffer` out, or transferring a
    // state's buffer to a worker, carries that array and nothing else.
    for (const t of kept.flat()) {
      expect(t.values.byteOffset).toBe(0);
      expect(t.values.buffer.byteLength).toBe(t.values.byteLength);
    }
  });

  it('is not taken for training, masks, recorded gradients or batches above one row', () => {
    const layer = layers.lstm({ units: 3, returnSequences: true });
    const x1 = uniform([1, 5, 2], 4);
    layer.apply(x1);
    const spy = jest.spyOn(stepKernel, 'sequenceApply');
    layer.apply(x1, { training: true });
    layer.apply(x1, { mask: tensor([[1, 1, 0, 1, 1]], [1, 5], 'bool') });
    expect(spy).not.toHaveBeenCalled();
    layer.apply(uniform([2, 5, 2], 5));
    expect(spy.mock.results.every((r) => r.value === null)).toBe(true);
    // Under a gradient scope the fused kernel (with its backward) runs, and the gradient is right.
    const loss = () => (layer.apply(x1) as Tensor).square().sum() as never;
    const { grads } = variableGrads(loss, layer.trainableWeights);
    expect(spy.mock.results[spy.mock.results.length - 1].value).toBeNull();
    spy.mockRestore();
    layer.useFusedKernel = false;
    const ref = variableGrads(loss, layer.trainableWeights).grads;
    for (const w of layer.trainableWeights) expect(maxDiff(grads[w.name], ref[w.name])).toBeLessThanOrEqual(1e-5);
  });
});

describe('sequenceApply: cached packed weights follow the weights', () => {
  it('after setWeights, assign and a gradient step the next call uses the new weights', () => {
    const layer = layers.lstm({ units: 6, returnState: true });
    const x = uniform([1, 7, 4], 6);
    layer.apply(x);
    expectClose(asList(layer.apply(x) as Tensor[]), reference(layer, x));
    const before = layer.apply(x) as Tensor[];

    // setWeights: new arrays.
    layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), 30 + i, -0.4, 0.4)));
    const afterSet = asList(layer.apply(x) as Tensor[]);
    expect(maxDiff(afterSet[0], before[0])).toBeGreaterThan(1e-3);
    expectClose(afterSet, reference(layer, x));

    // assign on one variable (the bias): as optimizers do.
    const bias = layer.weights[2];
    noGrad(() => bias.assign(ones(bias.shape.slice())));
    const afterAssign = asList(layer.apply(x) as Tensor[]);
    expect(maxDiff(afterAssign[0], afterSet[0])).toBeGreaterThan(1e-3);
    expectClose(afterAssign, reference(layer, x));

    // A plain gradient-descent step on every weight.
    const { grads } = variableGrads(() => (layer.apply(x) as Tensor[])[0].square().sum() as never, layer.trainableWeights);
    for (const w of layer.weights) w.assign(w.read().sub(grads[w.name].mul(0.5)));
    const afterStep = asList(layer.apply(x) as Tensor[]);
    expect(maxDiff(afterStep[0], afterAssign[0])).toBeGreaterThan(1e-4);
    expectClose(afterStep, reference(layer, x));
  });

  it('dispose frees the resident kernel memory', () => {
    const layer = layers.gru({ units: 8 });
    const x = uniform([1, 5, 3], 7);
    layer.apply(x);
    layer.apply(x);
    expect(cellKernelResidentBytes(layer.cell)).toBeGreaterThan(0);
    layer.dispose();
    expect(cellKernelResidentBytes(layer.cell)).toBe(0);
  });

  it('a stacked cell frees the kernels of all its cells', () => {
    const layer = layers.rnn({ cell: [layers.simpleRNNCell({ units: 4 }), layers.lstmCell({ units: 3 })] });
    const x = uniform([1, 5, 3], 8);
    layer.apply(x);
    expect(cellKernelResidentBytes(layer.cell)).toBeGreaterThan(0);
    layer.dispose();
    expect(cellKernelResidentBytes(layer.cell)).toBe(0);
  });
});

describe('an empty batch', () => {
  // Keras and our Dense return an empty result of the output's shape for 0 rows; the batch-1 path must leave
  // such a call to the general path instead of passing batch 0 to the step kernel (which refused it).
  test.each(makers)('%s returns outputs and states with 0 rows of the usual shapes', (_name, make) => {
    const layer = make();
    const shapes = layer.computeOutputShape([0, 3, 2]) as (number | null)[] | (number | null)[][];
    const expected = Array.isArray(shapes[0]) ? shapes : [shapes];
    const outputs = asList(layer.apply(ones([0, 3, 2])) as Tensor | Tensor[]);
    expect(outputs.map((t) => t.shape)).toEqual(expected);
  });
});
